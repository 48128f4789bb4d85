# shellcheck shell=bash
# dev-stack: the commands up, down and status over a list of components (`install` is in install.sh, `env` and
# the dispatch in dev-stack.sh). up starts every component first, then polls them all until each answers;
# down sends SIGTERM to each process group, SIGKILL after the stop timeout.
# Sourced by scripts/dev-stack.sh (after its settings).

cmd_up() {
  local -a comps=("$@")
  ((${#comps[@]})) || comps=("${DEFAULT_COMPONENTS[@]}")
  local missing comp
  missing=$(missing_for "${comps[@]}")
  if [[ -n $missing ]]; then
    {
      echo "dev-stack: cannot start ${comps[*]}: missing"
      echo "$missing"
      echo "Install everything (Debian packages, Java 17 and Maven if absent, the Elasticsearch zip) with:"
      echo "  $SELF install"
    } >&2
    exit 2
  fi
  open_stack
  for comp in "${comps[@]}"; do
    if is_es "$comp"; then
      extract_es
      break
    fi
  done

  local -A pid_of=() note=() failed=() t0=()
  local pid port
  # start everything first (Elasticsearch first: it is the slow one), then wait for each
  local -a order=()
  for comp in "${comps[@]}"; do is_es "$comp" && order+=("$comp"); done
  for comp in "${comps[@]}"; do is_es "$comp" || order+=("$comp"); done
  for comp in "${order[@]}"; do
    t0[$comp]=$(now_ms)
    if pid=$(running_pid "$comp"); then
      pid_of[$comp]=$pid
      note[$comp]="already running, pid $pid"
      continue
    fi
    for port in $(ports_of "$comp"); do
      if port_in_use "$port"; then
        failed[$comp]="port $port is in use by a process this stack did not start (check: ss -ltnp 'sport = :$port')"
        break
      fi
    done
    [[ -n ${failed[$comp]:-} ]] && continue
    start_component "$comp"
    pid_of[$comp]=$(<"$(pid_file "$comp")")
    info "$comp: started, pid ${pid_of[$comp]}, log $(log_file "$comp")"
  done

  # poll every pending component in turn, so each one's readiness time is its own
  local -A result=() ready_s=()
  local -a pending=()
  for comp in "${comps[@]}"; do [[ -n ${failed[$comp]:-} ]] || pending+=("$comp"); done
  local -a still=()
  while ((${#pending[@]})); do
    still=()
    for comp in "${pending[@]}"; do
      if ! pid_is_component "${pid_of[$comp]}" "$comp"; then
        result[$comp]=exited
      elif probe "$comp" ready 2>/dev/null; then
        result[$comp]=ready
        ready_s[$comp]=$(secs_since "${t0[$comp]}")
      elif (($(now_ms) - t0[$comp] >= $(ready_timeout_of "$comp") * 1000)); then
        result[$comp]=timeout
      else
        still+=("$comp")
      fi
    done
    pending=("${still[@]}")
    if ((${#pending[@]})); then sleep 0.2; fi
  done

  local rc=0
  for comp in "${comps[@]}"; do
    if [[ -n ${failed[$comp]:-} ]]; then
      line "$comp" FAILED "${failed[$comp]}"
      rc=1
      continue
    fi
    case ${result[$comp]} in
      ready)
        if [[ $comp == es-secure ]]; then write_es_secure_connection; fi
        if [[ -n ${note[$comp]:-} ]]; then
          line "$comp" ready "$(url_of "$comp")  (${note[$comp]})"
        else
          line "$comp" ready "$(url_of "$comp")  (started, ready after ${ready_s[$comp]} s)"
        fi
        if [[ $comp == es-secure ]]; then info "es-secure: connection settings in $STACK_DIR/es-secure/connection.env"; fi
        ;;
      timeout)
        print_failure "$comp" "no answer on $(url_of "$comp") after $(ready_timeout_of "$comp") s (pid ${pid_of[$comp]} still running; $SELF down $comp)"
        rc=1
        ;;
      *)
        rm -f "$(pid_file "$comp")"
        print_failure "$comp" "the process exited before answering on $(url_of "$comp")"
        rc=1
        ;;
    esac
  done
  return "$rc"
}

cmd_down() {
  local -a comps=("$@")
  ((${#comps[@]})) || comps=("${ALL_COMPONENTS[@]}")
  [[ -d $STACK_DIR ]] || {
    for comp in "${comps[@]}"; do line "$comp" stopped "(was not running)"; done
    return 0
  }
  open_stack
  local comp pid
  local -A pid_of=() t0=()
  for comp in "${comps[@]}"; do
    if pid=$(running_pid "$comp"); then
      pid_of[$comp]=$pid
      t0[$comp]=$(now_ms)
      signal_group TERM "$pid"
    fi
  done
  local rc=0 timeout deadline killed
  for comp in "${comps[@]}"; do
    [[ $comp == es-secure ]] && rm -f "$STACK_DIR/es-secure/connection.env"
    if [[ -z ${pid_of[$comp]:-} ]]; then
      line "$comp" stopped "(was not running)"
      continue
    fi
    pid=${pid_of[$comp]}
    timeout=$(stop_timeout_of "$comp")
    deadline=$(($(now_ms) + timeout * 1000))
    killed=""
    while group_alive "$pid"; do
      if (($(now_ms) >= deadline)); then
        if [[ -z $killed ]]; then
          info "$comp: still running ${timeout} s after SIGTERM, sending SIGKILL"
          signal_group KILL "$pid"
          killed=" after SIGKILL"
          deadline=$(($(now_ms) + 10000))
        else
          line "$comp" FAILED "pid $pid survives SIGKILL"
          rc=1
          continue 2
        fi
      fi
      sleep 0.2
    done
    rm -f "$(pid_file "$comp")"
    line "$comp" stopped "(pid $pid, $(secs_since "${t0[$comp]}") s$killed)"
  done
  return "$rc"
}

cmd_status() {
  local -a comps=("$@")
  ((${#comps[@]})) || comps=("${DEFAULT_COMPONENTS[@]}")
  local comp pid rc=0 extra
  for comp in "${comps[@]}"; do
    if [[ -d $STACK_DIR ]] && pid=$(running_pid "$comp"); then
      if probe "$comp" status 2>/dev/null; then
        extra="pid $pid"
        [[ $comp == elasticsearch ]] && extra+=", cluster $(es_cluster_status)"
        is_es_cluster_node "$comp" && extra+=", cluster $(es_cluster_node_health "$comp")"
        [[ $comp == es-secure ]] && extra+=", $STACK_DIR/es-secure/connection.env"
        line "$comp" running "$(url_of "$comp")  ($extra)"
      else
        line "$comp" unhealthy "$(url_of "$comp")  (pid $pid alive but not answering; log $(log_file "$comp"))"
        rc=3
      fi
    else
      extra=""
      port_in_use "$(port_of "$comp")" && extra="  (port $(port_of "$comp") is used by a process this stack did not start)"
      line "$comp" stopped "$(url_of "$comp")$extra"
      rc=3
    fi
  done
  return "$rc"
}
