# shellcheck shell=bash
# dev-stack: `install` and what `up` lacks. Debian packages through apt-get (as root or with sudo), Java 17 and
# Maven when missing, the Elasticsearch integ-test-zip fetched from Maven Central into the cache and unpacked
# into <stack>/dist; missing_for lists what `up` of some components still needs, with the apt line to get it.
# Sourced by scripts/dev-stack.sh (after its settings).

# Other engineers on the machine may hold the dpkg lock: wait for it (5 min) instead of failing at once.
APT_LOCK_WAIT=(-o DPkg::Lock::Timeout=300)

# The browser of the UI tests (log-classifier review page, driven by playwright-core at /usr/bin/chromium) and a
# font for it to render text with (a Recommends of chromium that --no-install-recommends leaves out).
BROWSER_PACKAGES=(chromium fonts-liberation)

# What scripts/stress_test.sh injects with beside the servers: stress-ng for the CPU spike, e2fsprogs (mkfs.ext4) and
# mount (losetup) for the loop-mounted filesystem it fills.
STRESS_PACKAGES=(stress-ng e2fsprogs mount)

dpkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

apt_install_line() {
  echo "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $*"
}

apt_install() { # packages...
  local -a sudo=()
  if ! am_root; then
    command -v sudo >/dev/null || die 2 "need root to install $*; run as root: $(apt_install_line "$@")"
    sudo=(sudo)
  fi
  local need_update=0 p
  # update when the package lists are absent (fresh images ship none), older than a day, or lack a package
  if [[ -z $(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n 1) ]]; then
    need_update=1
  fi
  for p in "$@"; do
    apt-cache show "$p" >/dev/null 2>&1 || need_update=1
  done
  if ((need_update)); then
    info "apt-get update"
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -q
  fi
  info "apt-get install $*"
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "$@"; then
    ((need_update)) && die 1 "apt-get install failed"
    info "apt-get install failed with the current package lists; retrying after apt-get update"
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update -q
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "$@"
  fi
}

fetch_es_zip() {
  [[ -f $ES_ZIP ]] && return 0
  mkdir -p "$CACHE_DIR"
  local tmp t0
  t0=$(now_ms)
  tmp=$(mktemp -d "$CACHE_DIR/.mvn-XXXXXX")
  info "fetching $ES_MAVEN_ARTIFACT from Maven Central"
  # run from an empty folder: dependency:copy needs no pom.xml, and must not pick up a project's one
  if ! (cd "$tmp" && mvn -B -q -C dependency:copy -Dartifact="$ES_MAVEN_ARTIFACT" -DoutputDirectory="$tmp") \
    >"$CACHE_DIR/mvn.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$CACHE_DIR/mvn.log" >&2
    die 1 "mvn dependency:copy of $ES_MAVEN_ARTIFACT failed (full output: $CACHE_DIR/mvn.log)"
  fi
  mv "$tmp/elasticsearch-$ES_VERSION.zip" "$ES_ZIP"
  rm -rf "$tmp"
  info "cached $ES_ZIP ($(secs_since "$t0") s)"
}

# Unpacks the cached zip into <stack>/dist (atomic: a half-unpacked tree never has the final name).
extract_es() {
  [[ -x $ES_DIST/bin/elasticsearch ]] && return 0
  [[ -f $ES_ZIP ]] || die 2 "Elasticsearch $ES_VERSION zip not in the cache ($ES_ZIP); run: $SELF install"
  command -v unzip >/dev/null || die 2 "unzip missing; run: $SELF install"
  mkdir -p "$STACK_DIR/dist"
  local tmp t0
  t0=$(now_ms)
  tmp=$(mktemp -d "$STACK_DIR/dist/.unzip-XXXXXX")
  unzip -q "$ES_ZIP" -d "$tmp"
  [[ -x $tmp/elasticsearch-$ES_VERSION/bin/elasticsearch ]] || die 1 "unexpected layout in $ES_ZIP"
  ensure_es_user
  if am_root; then chown -R "$ES_USER:$ES_USER" "$tmp/elasticsearch-$ES_VERSION"; fi
  mv "$tmp/elasticsearch-$ES_VERSION" "$ES_DIST"
  rmdir "$tmp"
  info "unpacked Elasticsearch $ES_VERSION into $ES_DIST ($(secs_since "$t0") s)"
}

cmd_install() {
  local t0 p
  t0=$(now_ms)
  local -a missing=()
  for p in "${APT_PACKAGES[@]}" "${BROWSER_PACKAGES[@]}" "${STRESS_PACKAGES[@]}"; do dpkg_installed "$p" || missing+=("$p"); done
  [[ -x $ES_JAVA_HOME_DIR/bin/java ]] || missing+=(openjdk-17-jre-headless)
  shim_javac >/dev/null || missing+=(openjdk-17-jdk-headless) # javac for es-secure's analysis shim
  command -v mvn >/dev/null || missing+=(maven)
  if ((${#missing[@]})); then
    apt_install "${missing[@]}"
  else
    info "Debian packages already installed: ${APT_PACKAGES[*]} ${BROWSER_PACKAGES[*]} ${STRESS_PACKAGES[*]}, Java 17, Maven"
  fi
  [[ -x $ES_JAVA_HOME_DIR/bin/java ]] || die 2 "no java at $ES_JAVA_HOME_DIR/bin/java after install; set AIOPS_ES_JAVA_HOME"
  ensure_es_user
  if [[ -f $ES_ZIP ]]; then info "Elasticsearch $ES_VERSION zip already cached: $ES_ZIP"; else fetch_es_zip; fi
  if [[ -x $ES_DIST/bin/elasticsearch ]]; then info "Elasticsearch already unpacked: $ES_DIST"; else extract_es; fi
  info "install done in $(secs_since "$t0") s"
}

# Lists what `up` of the given components lacks, one line each; empty when nothing.
missing_for() {
  local comp bin
  local -a pkgs=()
  local need_es=0 need_tls=0
  command -v curl >/dev/null || pkgs+=(curl)
  for comp in "$@"; do
    case $comp in
      elasticsearch | es-secure | es-cluster-*)
        need_es=1
        [[ $comp == es-secure ]] && need_tls=1
        ;;
      rsyslog)
        # rsyslogd alone is not enough: omelasticsearch is a separate package
        dpkg_installed rsyslog-elasticsearch || {
          echo "  - rsyslog's Elasticsearch output (Debian packages rsyslog rsyslog-elasticsearch)"
          pkgs+=(rsyslog rsyslog-elasticsearch)
        }
        ;;
      *)
        bin=$(binary_of "$comp")
        [[ -x $bin ]] || {
          echo "  - $bin (Debian package $(package_of "$comp"))"
          pkgs+=("$(package_of "$comp")")
        }
        ;;
    esac
  done
  if ((need_tls)) && ! command -v openssl >/dev/null; then pkgs+=(openssl); fi
  if ((need_es)); then
    [[ -x $ES_JAVA_HOME_DIR/bin/java ]] || {
      echo "  - Java 17 at $ES_JAVA_HOME_DIR (Debian package openjdk-17-jre-headless, or set AIOPS_ES_JAVA_HOME)"
      pkgs+=(openjdk-17-jre-headless)
    }
    if [[ ! -x $ES_DIST/bin/elasticsearch && ! -f $ES_ZIP ]]; then
      echo "  - the Elasticsearch $ES_VERSION zip (Maven $ES_MAVEN_ARTIFACT, expected at $ES_ZIP)"
      command -v mvn >/dev/null || pkgs+=(maven)
    fi
    if [[ ! -x $ES_DIST/bin/elasticsearch ]] && ! command -v unzip >/dev/null; then pkgs+=(unzip); fi
  fi
  for comp in curl openssl unzip maven; do
    [[ " ${pkgs[*]} " == *" $comp "* ]] && echo "  - $comp (Debian package $comp)"
  done
  if ((${#pkgs[@]})); then echo "  apt line: $(apt_install_line "${pkgs[@]}")"; fi
  return 0
}
