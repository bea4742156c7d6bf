# shellcheck shell=bash
# What run.sh and training.sh share; they source this file (it is not a command). It sets the callers'
# variables: quick, skip_dotnet, skip_torch (parse_args), root, art, shown, results, torch_python and
# report_python (set_paths).
# shellcheck disable=SC2034  # the variables are used by the scripts that source this file

prog="$(basename "$0")"  # for messages: run.sh or training.sh

# parse_args "$@": --quick, --skip-dotnet, --skip-torch; --help prints the comment at the top of the script.
parse_args() {
    quick=0 skip_dotnet=0 skip_torch=0
    local arg
    for arg in "$@"; do
        case "$arg" in
            --quick) quick=1 ;;
            --skip-dotnet) skip_dotnet=1 ;;
            --skip-torch) skip_torch=1 ;;
            -h|--help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;;
            *) echo "$prog: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
        esac
    done
}

# set_paths SUBFOLDER: goes to the repository root; the artifacts folder is $PEERS_ARTIFACTS (default the
# git-ignored benchmarks/BenchmarkDotNet.Artifacts/peers) followed by SUBFOLDER ("" or e.g. "/training").
set_paths() {
    root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    cd "$root" || exit 1
    art="${PEERS_ARTIFACTS:-benchmarks/BenchmarkDotNet.Artifacts/peers}$1"
    results="${RESULTS:-benchmarks/RESULTS.md}"
    mkdir -p "$art"
    art="$(cd "$art" && pwd)"
    shown="${art#"$root"/}"  # for messages
    torch_python="${TORCH_PYTHON:-/usr/bin/python3}"
    [[ -x "$torch_python" ]] || torch_python="python3"
    report_python="${PYTHON:-python3}"
}

# Keeps URLs out of the stored logs and of what is printed.
scrub() { sed -E 's#[A-Za-z][A-Za-z0-9+.-]*://[^[:space:]"]+#<url>#g'; }

# run_benchmarkdotnet HOW_LONG BDN_ARG...: runs AutoGrad.Benchmarks with BenchmarkDotNet's arguments BDN_ARG...
# (which send the JSON exports to $art/bdn, emptied first), its output scrubbed into $art/dotnet.log. Exits
# with code 1, showing the end of the log, when the run fails or leaves no JSON export.
run_benchmarkdotnet() {
    local how_long="$1"
    shift
    rm -rf "$art/bdn"
    echo "== AutoGrad: BenchmarkDotNet ($how_long; log: $shown/dotnet.log)"
    if ! dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- "$@" 2>&1 \
            | scrub > "$art/dotnet.log"; then
        echo "$prog: the BenchmarkDotNet run failed; the end of $shown/dotnet.log:" >&2
        tail -n 40 "$art/dotnet.log" >&2
        exit 1
    fi
    if ! compgen -G "$art/bdn/results/*-report-full*.json" > /dev/null; then
        echo "$prog: BenchmarkDotNet wrote no JSON export; the end of $shown/dotnet.log:" >&2
        tail -n 40 "$art/dotnet.log" >&2
        exit 1
    fi
}
