#!/usr/bin/env bash
# AutoGrad vs PyTorch, side by side: runs the C# benchmarks (BenchmarkDotNet), then the PyTorch script at 1 and
# 2 threads (one after the other, never together), then writes the peers section of benchmarks/RESULTS.md.
#
#   bash benchmarks/peers/run.sh [--quick] [--skip-dotnet] [--skip-torch]
#
#   --quick        short runs on both sides (a smoke test; figures not to quote)
#   --skip-dotnet  reuse the BenchmarkDotNet results of the previous run
#   --skip-torch   reuse the PyTorch results of the previous run
#
# Environment: TORCH_PYTHON, the python that has torch (default /usr/bin/python3, Debian's python3-torch);
# PYTHON, any python3 for the report (default python3); RESULTS, the markdown file to update (default
# benchmarks/RESULTS.md); PEERS_ARTIFACTS, where JSON exports and logs go (default the git-ignored
# benchmarks/BenchmarkDotNet.Artifacts/peers). Relative paths are from the repository root.
set -euo pipefail

quick=0 skip_dotnet=0 skip_torch=0
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        --skip-dotnet) skip_dotnet=1 ;;
        --skip-torch) skip_torch=1 ;;
        -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
art="${PEERS_ARTIFACTS:-benchmarks/BenchmarkDotNet.Artifacts/peers}"
results="${RESULTS:-benchmarks/RESULTS.md}"
mkdir -p "$art"
art="$(cd "$art" && pwd)"
shown="${art#"$root"/}"  # for messages
torch_python="${TORCH_PYTHON:-/usr/bin/python3}"
[[ -x "$torch_python" ]] || torch_python="python3"
report_python="${PYTHON:-python3}"
start=$SECONDS

# Keeps URLs out of the stored logs and of what is printed.
scrub() { sed -E 's#[A-Za-z][A-Za-z0-9+.-]*://[^[:space:]"]+#<url>#g'; }

# 1. AutoGrad (C#).
if (( skip_dotnet )); then
    echo "== AutoGrad: reusing $shown/bdn"
else
    rm -rf "$art/bdn"
    bdn_args=(--filter '*PeerBenchmarks*' '*MachineBenchmarks*' --exporters json --artifacts "$art/bdn")
    if (( quick )); then
        # These change the classes' own job (PeerJob) rather than adding a second one.
        bdn_args+=(--launchCount 1 --warmupCount 1 --iterationCount 3 --iterationTime 100)
    fi
    echo "== AutoGrad: BenchmarkDotNet (several minutes; log: $shown/dotnet.log)"
    if ! dotnet run -c Release --project benchmarks/AutoGrad.Benchmarks -- "${bdn_args[@]}" 2>&1 \
            | scrub > "$art/dotnet.log"; then
        echo "run.sh: the BenchmarkDotNet run failed; the end of $shown/dotnet.log:" >&2
        tail -n 40 "$art/dotnet.log" >&2
        exit 1
    fi
    if ! compgen -G "$art/bdn/results/*-report-full*.json" > /dev/null; then
        echo "run.sh: BenchmarkDotNet wrote no JSON export; the end of $shown/dotnet.log:" >&2
        tail -n 40 "$art/dotnet.log" >&2
        exit 1
    fi
    grep -E '^Global total time' "$art/dotnet.log" || true
fi

# 2. PyTorch, 1 then 2 threads.
torch_args=()
torch_note=""
if (( skip_torch )); then
    echo "== PyTorch: reusing $shown/torch-*.json"
    for t in 1 2; do
        if [[ -f "$art/torch-$t.json" ]]; then torch_args+=(--torch "$art/torch-$t.json"); fi
    done
    if (( ${#torch_args[@]} == 0 )); then torch_note="torch absent"; fi
else
    rm -f "$art"/torch-*.json
    for t in 1 2; do
        echo "== PyTorch: $t thread(s) (log: $shown/torch-$t.log)"
        quick_flag=()
        if (( quick )); then quick_flag=(--quick); fi
        rc=0
        "$torch_python" "$here/torch_kernels.py" --threads "$t" --out "$art/torch-$t.json" ${quick_flag[@]+"${quick_flag[@]}"} \
            2> "$art/torch-$t.log" || rc=$?
        if (( rc == 3 )); then
            # torch_kernels.py has printed how to install torch.
            echo "run.sh: skipping the PyTorch side; the report will have AutoGrad's figures only."
            torch_note="torch absent"
            torch_args=()
            break
        elif (( rc == 1 )) && [[ -f "$art/torch-$t.json" ]]; then
            echo "run.sh: PyTorch reported a correctness failure (listed in the report); continuing." >&2
        elif (( rc != 0 )); then
            echo "run.sh: torch_kernels.py failed (exit $rc); the end of $shown/torch-$t.log:" >&2
            tail -n 20 "$art/torch-$t.log" >&2
            exit 1
        fi
        torch_args+=(--torch "$art/torch-$t.json")
    done
fi

# 3. The report.
report_args=(--bdn "$art/bdn" --results "$results" --seconds "$((SECONDS - start))")
if (( ${#torch_args[@]} )); then report_args+=("${torch_args[@]}"); fi
if [[ -n "$torch_note" ]]; then report_args+=(--torch-note "$torch_note"); fi
if (( quick )); then report_args+=(--quick); fi
"$report_python" "$here/report.py" "${report_args[@]}"
