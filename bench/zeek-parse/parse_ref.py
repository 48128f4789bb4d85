"""Python reference for `pnpm bench zeek-parse` (bench only, never product code).

Reads a Zeek TSV conn log the two ways Python tooling does:
  pandas  - pandas.read_csv(sep='\\t', comment='#', na_values='-') with the #fields names (the C parser; what
            e.g. the `zat` library does), typed columns;
  python  - a plain loop: line.split('\\t') and int()/float() of the numeric ConnRecord fields into a tuple
            (the per-record typed path, like ours).
Prints one JSON line {runs: [{wallSeconds, cpuSeconds}], records}.
"""
import json
import sys
import time


def fields_of(path):
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#fields'):
                return line.rstrip('\n').split('\t')[1:]
            if not line.startswith('#'):
                break
    raise SystemExit(f'{path}: no #fields header')


def run_pandas(path):
    import pandas as pd
    names = fields_of(path)
    df = pd.read_csv(path, sep='\t', comment='#', header=None, names=names, na_values='-', keep_default_na=False,
                     dtype={'uid': str, 'id.orig_h': str, 'id.resp_h': str, 'proto': str, 'service': str,
                            'conn_state': str, 'history': str, 'tunnel_parents': str},
                     engine='c', low_memory=False)
    return len(df)


def num(s, conv):
    return None if s == '-' else conv(s)


def run_python(path):
    n = 0
    with open(path, encoding='utf-8') as f:
        for line in f:
            if line.startswith('#'):
                continue
            c = line.rstrip('\n').split('\t')
            rec = (float(c[0]), c[1], c[2], num(c[3], int), c[4], num(c[5], int), c[6], c[7], num(c[8], float),
                   num(c[9], int), num(c[10], int), c[11], num(c[16], int), num(c[17], int), num(c[18], int),
                   num(c[19], int))
            n += 1 if rec else 0
    return n


def main():
    mode, path, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    fn = run_pandas if mode == 'pandas' else run_python
    runs = []
    records = 0
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        records = fn(path)
        runs.append({'wallSeconds': time.perf_counter() - w0, 'cpuSeconds': time.process_time() - c0})
    print(json.dumps({'runs': runs, 'records': records}))


if __name__ == '__main__':
    main()
