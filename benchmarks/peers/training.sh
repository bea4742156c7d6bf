#!/usr/bin/env bash
# Training steps, AutoGrad vs PyTorch, side by side: runs the C# OpOverheadBenchmarks and TrainingStepBenchmarks
# (BenchmarkDotNet), then the same models in PyTorch at 1 and 2 threads (one after the other, never together),
# then writes the training section of benchmarks/RESULTS.md (between <!-- training:begin/end -->).
#
#   bash benchmarks/peers/training.sh [--quick] [--skip-dotnet] [--skip-torch]
#
#   --quick        short runs on both sides (a smoke test; figures not to quote)
#   --skip-dotnet  reuse the BenchmarkDotNet results of the previous run
#   --skip-torch   reuse the PyTorch results of the previous run
#
# Environment: TORCH_PYTHON, the python that has torch (default /usr/bin/python3, Debian's python3-torch);
# PYTHON, any python3 for the report (default python3); RESULTS, the markdown file to update (default
# benchmarks/RESULTS.md); PEERS_ARTIFACTS, where JSON exports and logs go (default the git-ignored
# benchmarks/BenchmarkDotNet.Artifacts/peers; this script uses its training/ folder). Relative paths are from
# the repository root.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=common.sh
source "$here/common.sh"
parse_args "$@"
set_paths /training
start=$SECONDS

# 0. The report's own check of its ✓/✗ logic (fabricated figures, nothing written), before spending minutes.
"$report_python" "$here/training_report.py" --self-check > /dev/null

# 1. AutoGrad (C#).
if (( skip_dotnet )); then
    echo "== AutoGrad: reusing $shown/bdn"
else
    bdn_args=(--filter '*OpOverheadBenchmarks*' '*TrainingStepBenchmarks*' --exporters json --artifacts "$art/bdn")
    if (( quick )); then
        bdn_args+=(--launchCount 1 --warmupCount 1 --iterationCount 3 --iterationTime 100)
    else
        # 9 cases (3 per-op, 3 steps x 2 thread counts); 3 to 5 minutes in all.
        bdn_args+=(--launchCount 1 --warmupCount 3 --iterationCount 15)
    fi
    dotnet_start=$SECONDS
    run_benchmarkdotnet "a few minutes" "${bdn_args[@]}"
    # What the report cannot read from the exports: whether this side was a quick run, and when it ended.
    quick_json=false
    if (( quick )); then quick_json=true; fi
    printf '{"quick": %s, "seconds": %d, "finished_utc": "%s"}\n' "$quick_json" "$((SECONDS - dotnet_start))" \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$art/bdn/run-info.json"
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
    if (( ${#torch_args[@]} == 0 )); then
        if [[ -f "$art/torch-note.txt" ]]; then torch_note="$(cat "$art/torch-note.txt")"
        else torch_note="no PyTorch results to reuse"; fi
    fi
else
    rm -f "$art"/torch-*.json "$art/torch-note.txt"
    for t in 1 2; do
        echo "== PyTorch: $t thread(s) (log: $shown/torch-$t.log)"
        quick_flag=()
        if (( quick )); then quick_flag=(--quick); fi
        rc=0
        "$torch_python" "$here/torch_training.py" --threads "$t" --out "$art/torch-$t.json" ${quick_flag[@]+"${quick_flag[@]}"} \
            2> "$art/torch-$t.log.raw" || rc=$?
        scrub < "$art/torch-$t.log.raw" > "$art/torch-$t.log" && rm -f "$art/torch-$t.log.raw"
        if (( rc == 3 )); then
            # torch_training.py has printed how to install torch.
            echo "training.sh: skipping the PyTorch side; the report will have AutoGrad's figures only."
            torch_note="torch absent"
            echo "$torch_note" > "$art/torch-note.txt"
            torch_args=()
            break
        elif (( rc == 1 )) && [[ -f "$art/torch-$t.json" ]]; then
            echo "training.sh: a PyTorch check failed (listed in the report; that case is not timed); continuing." >&2
        elif (( rc != 0 )); then
            echo "training.sh: torch_training.py failed (exit $rc); the end of $shown/torch-$t.log:" >&2
            tail -n 20 "$art/torch-$t.log" >&2
            exit 1
        fi
        torch_args+=(--torch "$art/torch-$t.json")
    done
fi

# 3. The report. The run's duration only when both sides were measured now.
report_args=(--bdn "$art/bdn" --results "$results")
if (( ! skip_dotnet && ! skip_torch )); then report_args+=(--seconds "$((SECONDS - start))"); fi
if (( ${#torch_args[@]} )); then report_args+=("${torch_args[@]}"); fi
if [[ -n "$torch_note" ]]; then report_args+=(--torch-note "$torch_note"); fi
if (( quick )); then report_args+=(--quick); fi
"$report_python" "$here/training_report.py" "${report_args[@]}"
