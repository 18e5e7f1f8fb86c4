#!/usr/bin/env bash
# A real run on a real scheduler: starts a single-node Slurm on this machine (Debian's
# slurm-wlm and munge: munged, slurmctld and slurmd on 127.0.0.1, with a private configuration,
# state folder and ports), submits what `crmcase slurm` writes for a 4-shard run and then for a
# 3-shard comparison of the levers variants (each a job array and its merge job, which waits with
# --dependency=afterok), waits for each merge, and compares each merged report folder byte for
# byte with the single `crmcase run` / `crmcase compare`. Stops what it started.
#
#   Tests/Slurm/run_on_slurm.sh CRMCASE REPOSITORY WORKFOLDER [SHARDS] [TRIALS]
#
# Prints one line `ok: …` and exits 0, or says what failed and exits 1. Run by
# Tests/CRMCaseTests/SlurmTests.swift; scripts/setup.sh installs slurm-wlm and munge.
set -euo pipefail
crmcase=$1 repository=$2 work=$3 shards=${4:-4} trials=${5:-3000}
mkdir -p "$work"
work=$(cd "$work" && pwd)
conf=$work/slurm
mkdir -p "$conf/state" "$conf/spool"
export SLURM_CONF=$conf/slurm.conf
# Ports of this run's own, so that a daemon left over by another run cannot answer for it.
base=$((20000 + ($$ % 5000) * 2))
node=$(hostname -s)
# The node as slurmd sees this machine (CPUs and memory), less 512 MB for the system.
hardware=$(slurmd -C | head -1)
cpus=$(echo "$hardware" | grep -o 'CPUs=[0-9]*' | cut -d= -f2)
memory=$(( $(echo "$hardware" | grep -o 'RealMemory=[0-9]*' | cut -d= -f2) - 512 ))
cat > "$SLURM_CONF" <<CONF
ClusterName=crmcasetest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
StateSaveLocation=$conf/state
SlurmdSpoolDir=$conf/spool
SlurmctldPidFile=$conf/slurmctld.pid
SlurmdPidFile=$conf/slurmd.pid
SlurmctldLogFile=$conf/slurmctld.log
SlurmdLogFile=$conf/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MpiDefault=none
MinJobAge=600
# A merge whose shards failed is cancelled at once instead of waiting for ever.
DependencyParameters=kill_invalid_depend
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF

started_munge=""
daemons=()
cleanup() {
    scontrol shutdown >/dev/null 2>&1 || true
    for pidfile in "$conf/slurmctld.pid" "$conf/slurmd.pid"; do
        [ -f "$pidfile" ] && daemons+=("$(cat "$pidfile")")
    done
    if [ -n "$started_munge" ]; then daemons+=("$started_munge"); fi
    [ "${#daemons[@]}" -gt 0 ] || return 0
    kill "${daemons[@]}" 2>/dev/null || true
    # A process that started this script may block SIGTERM for its children (a test runner
    # does); what is still there after 5 s is killed outright.
    for _ in $(seq 10); do
        kill -0 "${daemons[@]}" 2>/dev/null || return 0
        sleep 0.5
    done
    kill -KILL "${daemons[@]}" 2>/dev/null || true
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for log in "$conf"/*.log; do echo "== $log"; tail -20 "$log"; done; exit 1; }

# munge authenticates the daemons and the commands to each other.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    mkdir -p /run/munge /var/log/munge /var/lib/munge
    chown munge:munge /run/munge /var/log/munge /var/lib/munge 2>/dev/null || true
    [ -f /etc/munge/munge.key ] || { mungekey --create 2>/dev/null || /usr/sbin/create-munge-key -f; chown munge:munge /etc/munge/munge.key; }
    # The daemons' output goes to files: holding the caller's pipes open, they would keep it
    # waiting after this script ends.
    if [ "$(id -u)" -eq 0 ]; then runuser -u munge -- /usr/sbin/munged </dev/null >>"$conf/munged.out" 2>&1
    else /usr/sbin/munged </dev/null >>"$conf/munged.out" 2>&1; fi
    sleep 1
    started_munge=$(cat /run/munge/munged.pid 2>/dev/null || pgrep -x munged | head -1)
    munge -n | unmunge >/dev/null || fail "munged did not start"
fi
slurmctld </dev/null >>"$conf/daemons.out" 2>&1 || fail "slurmctld did not start"
slurmd </dev/null >>"$conf/daemons.out" 2>&1 || fail "slurmd did not start"
for _ in $(seq 60); do
    sinfo -h -o %T 2>/dev/null | grep -q idle && break
    sleep 1
done
sinfo -h -o %T | grep -q idle || fail "the node did not come up idle: $(sinfo 2>&1)"

cd "$work"
rm -rf Scenarios shards* merged* single*
cp -r "$repository/Scenarios" .

# check_on_slurm NAME TASKS COMMAND SCENARIO... -- OPTIONS...: `crmcase slurm` of the command
# (run, or compare with --compare), submitted with its submit.sh; waits for the array and the
# merge job, then compares the merged report with the single command's, byte for byte.
check_on_slurm() {
    local name=$1 count=$2 command=$3; shift 3
    local files=() options=()
    while [ "$1" != "--" ]; do files+=("$1"); shift; done
    shift
    options=("$@")
    local flag=()
    [ "$command" = compare ] && flag=(--compare)
    "$crmcase" slurm "${files[@]}" "${flag[@]}" --shards "$count" "${options[@]}" \
        --out "shards-$name" --report "merged-$name" >/dev/null
    submitted=$(sh "shards-$name/submit.sh") || fail "$name: submit.sh failed: $submitted"
    array=$(echo "$submitted" | sed -n 's/^Submitted job array \([0-9]*\).*/\1/p')
    [ -n "$array" ] || fail "$name: submit.sh did not name its job array: $submitted"
    # Wait for the array and the merge job (a merge never starts before every shard succeeded).
    for _ in $(seq 900); do
        [ -z "$(squeue -h 2>/dev/null)" ] && break
        sleep 1
    done
    [ -z "$(squeue -h)" ] || fail "$name: jobs still queued after 15 minutes: $(squeue)"
    states=$(scontrol show job -o 2>/dev/null | grep -o 'JobState=[A-Z_]*' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
    if scontrol show job -o | grep -q 'JobState=\(FAILED\|CANCELLED\|TIMEOUT\|OUT_OF_MEMORY\)'; then
        fail "$name: a job did not complete: $states $(cat shards-"$name"/slurm-*.out 2>/dev/null | tail -20)"
    fi
    tasks=$(scontrol show job -o | grep -c "ArrayJobId=$array " || true)
    [ "$tasks" -eq "$count" ] || fail "$name: the job array $array ran $tasks tasks, not $count"
    [ -n "$(ls merged-"$name" 2>/dev/null)" ] || fail "$name: the merge job wrote no report ($states): $(cat shards-"$name"/slurm-merge-*.out 2>/dev/null)"
    "$crmcase" "$command" "${files[@]}" "${options[@]}" --out "single-$name" --quiet >/dev/null
    diff -r "single-$name" "merged-$name" >/dev/null || fail "$name: the merged report differs from the single one: $(diff -rq "single-$name" "merged-$name")"
    identical=$(find "merged-$name" -type f | wc -l)
    checked+=("$name: job array $array of $tasks tasks and its merge job, $identical files identical")
}

# Not in $( … ): a failure's message would be swallowed with the subshell.
checked=()
check_on_slurm run "$shards" run Scenarios/car-dealership.yaml -- --trials "$trials" --seed 5
check_on_slurm compare 3 compare Scenarios/car-dealership-levers.variants.yaml -- --trials 1500 --seed 5
echo "ok: Slurm $(sinfo -V | cut -d' ' -f2) (slurmctld and slurmd; merged report = single one): ${checked[0]}; ${checked[1]}; states $states"
