#!/usr/bin/env bash
# `make slurm-test`: runs a laclip job as a Slurm job array on a real one-node Slurm cluster
# started here on loopback (slurmctld + slurmd + munged from Debian's packages, configured in a
# temp folder), every array task with its own embedded llama-server, then checks from the shard
# files that every task of the job was done exactly once, by the one partition that owns it.
#
# Prints PASS (exit 0), FAIL (exit 1), or SKIPPED: <reason> (exit 0) where it cannot run at all
# (not root, packages not installable). Everything it starts is stopped on exit, even on failure;
# LACLIP_SLURM_TEST_KEEP=1 keeps the temp folder for a post-mortem.
#
# Environment: LACLIP_BIN (default .build/debug/laclip), LACLIP_SLURM_TEST_TIMEOUT (seconds the
# array may take, default 900), LACLIP_SLURM_TEST_TASKS (default 3).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LACLIP="${LACLIP_BIN:-$REPO/.build/debug/laclip}"
TIMEOUT="${LACLIP_SLURM_TEST_TIMEOUT:-900}"
TASKS="${LACLIP_SLURM_TEST_TASKS:-3}"
CAPTIONS=8
SHARDS=4
STARTED=$SECONDS

say() { echo "slurm-test: $*" >&2; }
skip() {
  echo "########################################################################" >&2
  echo "SKIPPED: $*" >&2
  echo "########################################################################" >&2
  exit 0
}
fail() {
  FAILED=1
  echo "FAIL: $*" >&2
  exit 1
}

[[ $(id -u) == 0 ]] || skip "slurm-test needs root (it installs packages and runs slurmctld, slurmd and munged)"

# --- packages -------------------------------------------------------------------------------
need=()
for cmd in slurmctld slurmd sbatch munged mungekey curl python3; do command -v "$cmd" >/dev/null 2>&1 || need+=("$cmd"); done
if ((${#need[@]})); then
  say "missing ${need[*]}: installing slurm-wlm, munge, curl"
  command -v apt-get >/dev/null || skip "no apt-get to install slurm-wlm and munge (missing: ${need[*]})"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge curl; } >&2 \
    || skip "apt-get could not install slurm-wlm and munge"
  for cmd in "${need[@]}"; do command -v "$cmd" >/dev/null 2>&1 || skip "$cmd still missing after installing slurm-wlm and munge"; done
fi
id munge >/dev/null 2>&1 || skip "the munge package created no munge user"

[[ -x $LACLIP ]] || fail "no laclip binary at $LACLIP (run swift build, or set LACLIP_BIN)"
"$LACLIP" slurm --help >/dev/null 2>&1 || fail "$LACLIP has no 'slurm' subcommand (stale build?)"
"$REPO/scripts/llama-server.sh" install >/dev/null || fail "the embedded llama-server could not be installed"

# --- temp cluster ---------------------------------------------------------------------------
T="$(mktemp -d /tmp/laclip-slurm-test.XXXXXX)"
chmod 755 "$T"
export SLURM_CONF="$T/etc/slurm.conf"
# A space in the data path: the generated script must quote everything, sbatch directives too.
DATA="$T/data dir"
JOB="$DATA/job"
LOGS="$DATA/slurm logs"
mkdir -p "$T/etc" "$T/state" "$T/spool" "$T/log" "$T/tmp" "$DATA" "$LOGS"
pids=()
job_ids=()
FAILED=0

teardown() {
  local status=$?
  trap - EXIT INT TERM
  for id in "${job_ids[@]}"; do scancel "$id" >/dev/null 2>&1; done
  # Servers the tasks left behind (they stop their own; this is the safety net).
  for pidfile in "$T"/tmp/*/llama-server-*.pid; do [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null; done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  if ((status != 0 || FAILED)); then
    for f in "$T"/log/*.log "$LOGS"/*; do
      [[ -f $f ]] || continue
      echo "----- $(basename "$f") (last 25 lines)" >&2; tail -n 25 "$f" >&2
    done
  fi
  if [[ ${LACLIP_SLURM_TEST_KEEP:-0} == 1 ]]; then say "kept $T"; else rm -rf "$T"; fi
  say "took $((SECONDS - STARTED)) s"
  exit "$status"
}
trap teardown EXIT
trap 'fail "interrupted"' INT TERM

free_port() {
  local port
  for port in "$@"; do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  return 1
}

# munged as the munge user, with its own key and socket in the temp folder.
# The socket folder must be traversable by every user (munged checks); the key stays 0400.
install -d -o munge -g munge -m 711 "$T/munge"
mungekey --create --keyfile="$T/munge/munge.key" >/dev/null 2>&1 || dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chown munge:munge "$T/munge/munge.key" && chmod 400 "$T/munge/munge.key"
MUNGE_SOCKET="$T/munge/munge.socket"
runuser -u munge -- munged --foreground --key-file="$T/munge/munge.key" --socket="$MUNGE_SOCKET" \
  --pid-file="$T/munge/munged.pid" --log-file="$T/munge/munged.log" --seed-file="$T/munge/munged.seed" \
  >"$T/log/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 50); do [[ -S $MUNGE_SOCKET ]] && break; sleep 0.1; done
[[ -S $MUNGE_SOCKET ]] || fail "munged did not start (see $T/log/munged.log)"

NODE=laclipnode
read -r CPUS MEMORY < <(slurmd -C | tr ' ' '\n' | awk -F= '$1=="CPUs"{c=$2} $1=="RealMemory"{m=$2} END{print c, m}')
[[ -n $CPUS && -n $MEMORY ]] || fail "slurmd -C did not report CPUs and RealMemory"
CTLD_PORT=$(free_port $(seq 16817 16837)) || fail "no free port for slurmctld"
SLURMD_PORT=$(free_port $(seq 16838 16858)) || fail "no free port for slurmd"
SERVER_PORT=$(free_port $(seq 18200 18300)) || fail "no free port for the llama-servers"

cat >"$SLURM_CONF" <<CONF
ClusterName=laclip-test
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=1024
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
InactiveLimit=0
KillWait=10
MinJobAge=3600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$NODE NodeHostname=$(hostname -s) NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEMORY State=UNKNOWN
PartitionName=laclip Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
printf 'CgroupPlugin=autodetect\nIgnoreSystemd=yes\n' >"$T/etc/cgroup.conf"

slurmctld -D -c -f "$SLURM_CONF" >"$T/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N "$NODE" -f "$SLURM_CONF" >"$T/log/slurmd.out" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 1 120); do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null)
  [[ $state == idle ]] && break
  sleep 0.5
done
[[ $state == idle ]] || fail "the node is not idle after 60 s (state: ${state:-no answer}); see slurmctld.log and slurmd.log"
say "cluster up: $NODE, $CPUS CPUs, $MEMORY MB, slurmctld :$CTLD_PORT, slurmd :$SLURMD_PORT ($((SECONDS - STARTED)) s)"

# --- the job --------------------------------------------------------------------------------
for i in $(seq 1 $CAPTIONS); do echo "images/$i.jpg,a photo of item number $i on a wooden table"; done >"$DATA/captions.csv"
LACLIP_META_PAIRS="$REPO/MetaPairs" LACLIP_PROMPTS="$REPO/Prompts" \
  "$LACLIP" enqueue "$DATA/captions.csv" --job "$JOB" --shards $SHARDS >&2 || fail "laclip enqueue failed"
"$LACLIP" slurm --job "$JOB" --tasks "$TASKS" --server-slots 1 --server-port "$SERVER_PORT" --cpus-per-task 1 \
  --time 00:20:00 --health-timeout 300 --log-dir "$LOGS" --server-script "$REPO/scripts/llama-server.sh" \
  --run-args="--concurrency 1 --request-timeout 120" >"$DATA/job.sbatch" || fail "laclip slurm failed"

# Every task's server: one slot, a small context, its run folder inside the temp folder.
export LACLIP_SERVER_CTX_PER_SLOT=640 TMPDIR="$T/tmp"

wait_for_job() {  # job id, timeout in seconds
  local deadline=$((SECONDS + $2)) left
  while :; do
    left=$(squeue -h -j "$1" -o %i 2>/dev/null | wc -l)
    ((left == 0)) && return 0
    ((SECONDS < deadline)) || return 1
    sleep 2
  done
}

# "TASK STATE EXIT" per array task of a finished job, from slurmctld's records (no slurmdbd here).
task_states() {
  scontrol -o show job "$1" | tr ' ' '\n' | awk -F= '
    $1=="ArrayTaskId"{t=$2} $1=="JobState"{s=$2} $1=="ExitCode"{print t, s, $2}'
}

submitted=$SECONDS
ARRAY=$(sbatch --parsable "$DATA/job.sbatch") || fail "sbatch refused the generated script"
ARRAY=${ARRAY%%;*}
job_ids+=("$ARRAY")
say "submitted array job $ARRAY ($TASKS tasks); waiting up to ${TIMEOUT}s"
wait_for_job "$ARRAY" "$TIMEOUT" || fail "array job $ARRAY not finished after ${TIMEOUT}s: $(squeue -h -j "$ARRAY" -o '%i %T %R' | tr '\n' ';')"
ARRAY_SECONDS=$((SECONDS - submitted))

states=$(task_states "$ARRAY")
say "array tasks (task state exit): $(echo "$states" | tr '\n' ';')"
[[ $(echo "$states" | grep -c .) == "$TASKS" ]] || fail "expected $TASKS array tasks, slurmctld knows: $states"
if echo "$states" | grep -qv ' COMPLETED 0:0$'; then fail "not every array task completed with exit 0: $states"; fi
for ((i = 0; i < TASKS; i++)); do
  [[ -f "$LOGS/laclip-${ARRAY}_$i.out" && -f "$LOGS/laclip-${ARRAY}_$i.err" ]] || fail "no Slurm log pair laclip-${ARRAY}_$i.out/.err in '$LOGS'"
  [[ -s "$LOGS/server-${ARRAY}_$i.log" ]] || fail "no server log server-${ARRAY}_$i.log in '$LOGS'"
done

# --- exactly once -----------------------------------------------------------------------------
python3 - "$JOB" "$TASKS" "$CAPTIONS" "$LOGS" "$ARRAY" <<'PY' || fail "the shard files do not show every task done exactly once"
import glob, os, re, sqlite3, sys
job, tasks, captions, logs, array = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
manifest = sqlite3.connect(f"file:{job}/job.sqlite?mode=ro", uri=True)
shards = manifest.execute("SELECT id, file FROM shards ORDER BY id").fetchall()
styles = manifest.execute("SELECT count(*) FROM styles").fetchone()[0]
problems, total, done, results = [], 0, 0, 0
workers_by_shard = {}
for shard_id, name in shards:
    db = sqlite3.connect(f"file:{job}/{name}?mode=ro", uri=True)
    t = db.execute("SELECT count(*), sum(state = 2), max(attempts) FROM tasks").fetchone()
    r = db.execute("SELECT count(*), count(DISTINCT task_id) FROM results").fetchone()
    orphans = db.execute("SELECT count(*) FROM results WHERE task_id NOT IN (SELECT id FROM tasks WHERE state = 2)").fetchone()[0]
    workers = {w for (w,) in db.execute("SELECT DISTINCT worker FROM results")}
    workers_by_shard[shard_id] = workers
    total += t[0]; done += t[1] or 0; results += r[0]
    print(f"  shard {shard_id} (partition {shard_id % tasks}/{tasks}): {t[1]}/{t[0]} done, {r[0]} results, "
          f"max attempts {t[2]}, {len(workers)} worker(s)", file=sys.stderr)
    if r[0] != r[1]: problems.append(f"shard {shard_id}: {r[0] - r[1]} tasks have more than one result")
    if orphans: problems.append(f"shard {shard_id}: {orphans} results of tasks not done")
    if len(workers) != 1: problems.append(f"shard {shard_id}: worked by {len(workers)} processes, expected one partition's")
if total != captions * styles: problems.append(f"{total} tasks, expected {captions} captions x {styles} styles")
if done != total: problems.append(f"{done}/{total} tasks done")
if results != done: problems.append(f"{results} result rows for {done} done tasks")
# A worker (one laclip run = one array task) may only have written shards of one partition.
partitions_by_worker = {}
for shard_id, workers in workers_by_shard.items():
    for w in workers: partitions_by_worker.setdefault(w, set()).add(shard_id % tasks)
for w, parts in partitions_by_worker.items():
    if len(parts) != 1: problems.append(f"worker {w} wrote shards of partitions {sorted(parts)}")
# The runs' own accounts: the rewrites they report add up to the job, no more.
reported = 0
for i in range(tasks):
    text = open(os.path.join(logs, f"laclip-{array}_{i}.out")).read()
    m = re.search(r"finished: (\d+) rewrites done", text)
    if not m: problems.append(f"task {i}: no 'finished: N rewrites done' in its output"); continue
    reported += int(m.group(1))
if reported != total: problems.append(f"the array tasks report {reported} rewrites for {total} tasks")
print(f"  total: {done}/{total} done, {results} results, {reported} rewrites reported by {tasks} tasks, "
      f"{len(partitions_by_worker)} workers", file=sys.stderr)
for p in problems: print(f"  problem: {p}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# Every task stopped its own server.
if pgrep -f "llama-server.*--port (${SERVER_PORT}|$((SERVER_PORT + 1))|$((SERVER_PORT + 2)))( |$)" >/dev/null; then
  fail "a task's llama-server is still running after the array finished"
fi

# --- a re-submitted finished task ---------------------------------------------------------------
submitted=$SECONDS
AGAIN=$(sbatch --parsable --array=1 "$DATA/job.sbatch") || fail "sbatch refused the re-submission"
AGAIN=${AGAIN%%;*}
job_ids+=("$AGAIN")
wait_for_job "$AGAIN" 300 || fail "re-submitted task $AGAIN not finished after 300 s"
RESUBMIT_SECONDS=$((SECONDS - submitted))
again=$(task_states "$AGAIN")
[[ $again == "1 COMPLETED 0:0" ]] || fail "the re-submitted finished task did not exit 0: $again"
grep -q "finished: 0 rewrites done" "$LOGS/laclip-${AGAIN}_1.out" || fail "the re-submitted finished task did work: $(cat "$LOGS/laclip-${AGAIN}_1.out")"

echo "PASS: $TASKS array tasks rewrote $CAPTIONS captions x 4 styles in $SHARDS shards exactly once on a one-node Slurm" \
  "(array ${ARRAY_SECONDS}s, re-submitted finished task ${RESUBMIT_SECONDS}s, whole test $((SECONDS - STARTED))s)"
