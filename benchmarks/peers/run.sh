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

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"
parse_args "$@"
set_paths ""
start=$SECONDS

# 1. AutoGrad (C#).
if (( skip_dotnet )); then
    echo "== AutoGrad: reusing $shown/bdn"
else
    bdn_args=(--filter '*PeerBenchmarks*' '*MachineBenchmarks*' --exporters json --artifacts "$art/bdn")
    if (( quick )); then
        # These change the classes' own job (PeerJob) rather than adding a second one.
        bdn_args+=(--launchCount 1 --warmupCount 1 --iterationCount 3 --iterationTime 100)
    fi
    run_benchmarkdotnet "several minutes" "${bdn_args[@]}"
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
