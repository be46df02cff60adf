"""A generation run killed with SIGKILL and restarted re-sends no finished request; a rerun is served from the cache.

The cache writes answers in batches (here of 4): the kill loses at most the unwritten batch, never corrupts the file,
and the restart asks the model for exactly what is not on disk."""
import json, os, signal, sqlite3, subprocess, sys, time
from pathlib import Path
from synth_lowres.tiny import build_tiny_causal_lm

N, BATCH = 24, 4
SCRIPT = '''
import json, sys, time, torch
torch.set_num_threads(1)
from synth_lowres.llm import TransformersBackend, Request, RequestCache
model, cache, n, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
t0 = time.perf_counter()
be = TransformersBackend(model, cache=RequestCache(cache, commit_every=batch, commit_seconds=3600), batch_size=2)
reqs = [Request(prompt=f"Write sentence number {i} about the weather:", max_tokens=24, temperature=0.7, seed=i) for i in range(n)]
t1 = time.perf_counter()
out = be.generate(reqs)
t2 = time.perf_counter()
print(json.dumps({"sent": be.sent, "cached": sum(o.cached for o in out), "seconds": t2 - t0, "generate_seconds": t2 - t1,
                  "texts": [o.text for o in out]}))
'''

def rows(db:Path)->int:
    if not db.exists(): return 0
    try:
        with sqlite3.connect(db, timeout=5) as c: return c.execute('SELECT COUNT(*) FROM completions').fetchone()[0]
    except sqlite3.OperationalError: return 0

def launch(model, db):
    env = {**os.environ, 'HF_HUB_OFFLINE': '1', 'OMP_NUM_THREADS': '1'}
    return subprocess.Popen([sys.executable, '-c', SCRIPT, str(model), str(db), str(N), str(BATCH)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

def finish(proc)->dict:
    t0 = time.perf_counter()
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    return {**json.loads(out.strip().splitlines()[-1]), 'wall': time.perf_counter() - t0}

def test_sigkill_then_resume_then_cached(tmp_path):
    model, db = build_tiny_causal_lm(), tmp_path/'requests.sqlite'
    t0 = time.perf_counter()
    proc = launch(model, db)
    deadline = time.time() + 240
    while rows(db) < 6 and proc.poll() is None and time.time() < deadline: time.sleep(0.05)
    assert proc.poll() is None, 'the run finished before it could be killed'
    proc.send_signal(signal.SIGKILL); proc.wait()
    killed_after = time.perf_counter() - t0
    done = rows(db)
    assert 6 <= done < N and done % BATCH == 0, done                    # whole batches only
    with sqlite3.connect(db) as c: assert c.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'

    resumed = finish(launch(model, db))
    assert resumed['sent'] == N - done and resumed['cached'] == done     # nothing finished was asked again
    assert rows(db) == N

    full = finish(launch(model, db))
    assert full['sent'] == 0 and full['cached'] == N and full['texts'] == resumed['texts']
    first_gen = resumed['generate_seconds'] * N / (N - done)              # generate() time of an uncached full run, estimated
    print(f"killed after {done}/{N} answers; the restart sent {resumed['sent']} (= {N} - {done}); "
          f"first run, killed + resumed processes: {killed_after + resumed['wall']:.1f}s; cached rerun process: {full['wall']:.1f}s "
          f"({(killed_after + resumed['wall'])/full['wall']:.1f}x, imports included); generate() alone: ~{first_gen:.2f}s uncached vs "
          f"{full['generate_seconds']:.4f}s cached ({first_gen/full['generate_seconds']:.0f}x)")
