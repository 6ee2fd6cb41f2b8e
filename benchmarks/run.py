"""phraselint benchmarks: `python benchmarks/run.py [--quick]`.

Standard library only. Inputs are generated into benchmarks/.work/inputs/ (git-ignored);
proselint is installed into its own scratch venv at benchmarks/.work/proselint-venv/.
Prints a Markdown table and writes benchmarks/.work/results.json. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
INPUTS = WORK / "inputs"
PROSELINT_VENV = WORK / "proselint-venv"
CORPUS = Path(os.environ.get("PHRASELINT_BENCH_CORPUS", "/work/shared/corpus/replies"))
PY = sys.executable
OK_CODES = (0, 1)  # phraselint and proselint: 1 only means "findings were found"

BUILTIN_SENTENCES = """\
Thanks for reaching out, and sorry for the trouble with your order.
Unfortunately, we are unable to issue a refund after thirty days.
As I mentioned in my previous email, the update is rolling out this week.
Could you send us a screenshot of the error message you are seeing?
I have escalated this to our billing team and they will get back to you shortly.
You should have received a confirmation email when you placed the order.
Please note that this is our policy and there is nothing more we can do.
I completely understand how frustrating it is when a delivery is late.
Have you tried clearing your browser cache and signing in again?
Our engineers are aware of the issue and are working on a fix.
Per our terms of service, accounts with unpaid invoices are suspended automatically.
I went ahead and reset your password, so you can sign in with the link below.
Let me know if there is anything else I can help you with today.
It looks like the payment was declined by your bank, not by us.
Just restart the app and it should work, it's really simple.
We apologize for any inconvenience this may have caused.
Your ticket number is 48213, and you can reply to this email at any time.
I can see that the package left our warehouse on Tuesday morning.
That feature is not supported on the free plan, but you can upgrade at any time.
Obviously the setting has to be enabled before the export will run.
Kind regards, and have a great rest of your week.
I'm sorry, but I can't change the shipping address once the order has shipped.
To be honest, this is the first time we have heard about this problem.
We have credited your account with the difference, which should appear within five business days.
""".splitlines()


# ------------------------------------------------------------------ synthetic input

def sentence_pool() -> tuple[list[str], str]:
    """Sentences of 4-40 words sampled from the corpus when present, else the built-in list."""
    pool: list[str] = []
    if CORPUS.is_dir():
        for path in sorted(CORPUS.rglob("*.txt")):
            text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())
            pool += [s for s in re.split(r"(?<=[.!?])\s+", text) if 4 <= len(s.split()) <= 40]
    if len(pool) >= 200:
        return pool, f"corpus ({CORPUS})"
    return BUILTIN_SENTENCES, "built-in sentence list"


def make_draft(rng: random.Random, pool: list[str], words: int = 120) -> str:
    sentences, n = [], 0
    while n < words:
        s = rng.choice(pool)
        sentences.append(s)
        n += len(s.split())
    cut = max(1, len(sentences) // 2)
    return "Hi there,\n\n" + " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:]) + "\n"


def write_big(path: Path, rng: random.Random, pool: list[str], size: int) -> None:
    parts, total = [], 0
    while total < size:
        para = make_draft(rng, pool)
        parts.append(para)
        total += len(para.encode("utf-8")) + 1
    path.write_text("\n".join(parts), encoding="utf-8")


def write_replies(path: Path, size: int) -> None:
    """Real corpus replies, whole, joined by blank lines, cycling until `size` bytes (else drafts)."""
    replies = [p.read_text(encoding="utf-8", errors="replace").strip() for p in sorted(CORPUS.rglob("*.txt"))] \
        if CORPUS.is_dir() else []
    if not replies:
        replies = [make_draft(random.Random(i), BUILTIN_SENTENCES).strip() for i in range(200)]
    parts, total, i = [], 0, 0
    while total < size:
        parts.append(replies[i % len(replies)])
        total += len(parts[-1].encode("utf-8")) + 2
        i += 1
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def corpus_replies() -> list[str]:
    """The real corpus replies, whole, in path order (none without a corpus)."""
    if not CORPUS.is_dir():
        return []
    return [p.read_text(encoding="utf-8", errors="replace").strip() for p in sorted(CORPUS.rglob("*.txt"))]


def write_real_files(folder: Path, replies: list[str], count: int, rng: random.Random, pool: list[str]) -> str:
    """`count` files of real replies (a fixed-seed sample, cycling when `count` is more than the
    corpus has), or drafts without a corpus. Says which."""
    folder.mkdir()
    if replies:
        order = rng.sample(range(len(replies)), len(replies))
        texts = (replies[order[i % len(order)]] for i in range(count))
    else:
        texts = (make_draft(rng, pool).strip() for _ in range(count))
    for i, text in enumerate(texts):
        sub = folder / f"{i // 1000:03d}"  # 1,000 per folder, as a macro repository might be
        sub.mkdir(exist_ok=True)
        (sub / f"{i:05d}.txt").write_text(text + "\n", encoding="utf-8")
    return "real corpus replies" if replies else "synthetic drafts (no corpus)"


def write_export(path: Path, replies: list[str], count: int, rng: random.Random, pool: list[str]) -> None:
    """One Zendesk macro export of `count` macros (real replies cycling, else drafts), with the
    fields a real export carries besides the comment."""
    texts = replies or [make_draft(rng, pool).strip() for _ in range(200)]
    macros = [{"id": 360000000000 + i, "url": f"https://example.zendesk.com/api/v2/macros/{i}.json",
               "title": f"Macro {i}", "active": True, "position": i, "description": None,
               "created_at": "2024-01-01T00:00:00Z", "updated_at": "2024-01-01T00:00:00Z",
               "restriction": None,
               "actions": [{"field": "status", "value": "pending"},
                           {"field": "comment_value", "value": texts[i % len(texts)]}]}
              for i in range(count)]
    with open(path, "w", encoding="utf-8") as out:
        json.dump({"macros": macros, "count": count, "next_page": None}, out, ensure_ascii=False)


def write_prose(path: Path, rng: random.Random, pool: list[str], size: int) -> None:
    """Continuous prose: sentences joined by spaces, with no paragraph or line break at all."""
    parts, total = [], 0
    while total < size:
        parts.append(rng.choice(pool))
        total += len(parts[-1].encode("utf-8")) + 1
    path.write_text(" ".join(parts) + "\n", encoding="utf-8")


def generate(pool: list[str], file_counts: list[int], big_sizes: list[float], many: int) -> dict:
    shutil.rmtree(INPUTS, ignore_errors=True)
    INPUTS.mkdir(parents=True)
    rng = random.Random(20240601)
    (INPUTS / "draft.txt").write_text(make_draft(rng, pool), encoding="utf-8")
    for count in file_counts:
        folder = INPUTS / f"drafts-{count}"
        folder.mkdir()
        for i in range(count):
            (folder / f"{i:05d}.txt").write_text(make_draft(rng, pool), encoding="utf-8")
    for mb in big_sizes:
        write_big(INPUTS / f"big-{mb:g}mb.txt", rng, pool, int(mb * 1_000_000))
    write_replies(INPUTS / "replies-2mb.txt", 2_000_000)
    write_prose(INPUTS / "prose-2mb.txt", rng, pool, 2_000_000)
    replies = corpus_replies()
    real = write_real_files(INPUTS / "replies-2000", replies, 2000, random.Random(2000), pool)
    write_real_files(INPUTS / f"replies-{many}", replies, many, random.Random(many), pool)
    write_export(INPUTS / f"export-{many}.json", replies, many, random.Random(many), pool)
    (INPUTS / "spacy_tokenize.py").write_text(SPACY_TOKENIZE, encoding="utf-8")
    (INPUTS / "spacy_tokenize_chunks.py").write_text(SPACY_TOKENIZE_CHUNKS, encoding="utf-8")
    return {"draft_words": len((INPUTS / "draft.txt").read_text().split()), "replies_2000": real,
            "export_mb": round((INPUTS / f"export-{many}.json").stat().st_size / 1e6, 1)}


# The baseline for the big files: spaCy's own tokenizer over the same text, paragraph by
# paragraph (cut at blank lines; a paragraph over 100,000 characters, which spaCy could not take
# whole, is cut after a sentence).
SPACY_TOKENIZE = '''\
import re
import sys
import spacy

nlp = spacy.blank("en")
text = open(sys.argv[1], encoding="utf-8").read()
pieces = []
for para in re.split(r"\\n[ \\t]*\\n", text):
    while len(para) > 100_000:
        cut = para.rfind(". ", 0, 100_000)
        cut = cut + 2 if cut > 0 else 100_000
        pieces.append(para[:cut])
        para = para[cut:]
    if para.strip():
        pieces.append(para)
print(sum(len(doc) for doc in nlp.tokenizer.pipe(pieces, batch_size=64)), "tokens")
'''


# The earlier baseline, kept beside it: the tokenizer over pieces of < 100,000 characters cut at a
# blank line, else after a sentence (phraselint's own chunking before it read paragraphs).
SPACY_TOKENIZE_CHUNKS = '''\
import sys
import spacy

nlp = spacy.blank("en")
text = open(sys.argv[1], encoding="utf-8").read()
pieces, start = [], 0
while len(text) - start > 100_000:
    limit = start + 100_000
    cut = text.rfind("\\n\\n", start, limit)
    if cut <= start:
        cut = text.rfind(". ", start, limit)
    cut = cut + 2 if cut > start else limit
    pieces.append(text[start:cut])
    start = cut
pieces.append(text[start:])
print(sum(len(doc) for doc in nlp.tokenizer.pipe(pieces, batch_size=16)), "tokens")
'''


# ------------------------------------------------------------------ running

def phraselint_cmd() -> list[str]:
    script = Path(PY).parent / "phraselint"
    return [str(script)] if script.exists() else [PY, "-m", "phraselint"]


def run(cmd: list[str], label: str) -> dict:
    """Run one fresh process; its wall time and peak RSS (via wait4, for this child only)."""
    out_path, err_path = WORK / f"out-{label}.txt", WORK / f"err-{label}.txt"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=INPUTS, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in OK_CODES:
        print(f"FAILED (exit {code}): {' '.join(cmd)}\n{err_path.read_text()[-2000:]}", file=sys.stderr)
        raise SystemExit(2)
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime, "peak_rss_mb": usage.ru_maxrss / 1024,
            "exit": code, "stdout": out_path}


def medians(cmds: dict[str, list[str]], runs: int) -> dict[str, dict]:
    """Interleaved runs (order alternating each round) after one untimed warm-up of each."""
    for label, cmd in cmds.items():
        run(cmd, label)
    done: dict[str, list[dict]] = {label: [] for label in cmds}
    for i in range(runs):
        order = list(cmds) if i % 2 == 0 else list(reversed(cmds))
        for label in order:
            done[label].append(run(cmds[label], label))
    return {label: {"median_s": statistics.median(r["wall_s"] for r in rs),
                    "median_cpu_s": statistics.median(r["cpu_s"] for r in rs),
                    "runs_s": [round(r["wall_s"], 3) for r in rs]} for label, rs in done.items()}


_COUNT = """
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
if "summary" in doc:  # phraselint
    print(doc["summary"]["files"], doc["summary"]["findings"])
else:
    print(len(doc["result"]), sum(len(f.get("diagnostics", [])) for f in doc["result"].values()))
"""


def files_and_findings(label: str) -> tuple[int, int]:
    """Files linted and findings, from the last JSON output of phraselint or proselint (a sanity
    check). Read in a child process: parsing a big output here would grow this process, and
    every child forked after it would start with (and report) that much resident memory."""
    out = subprocess.run([PY, "-c", _COUNT, str(WORK / f"out-{label}.txt")], capture_output=True, text=True,
                         check=True).stdout.split()
    return int(out[0]), int(out[1])


def ensure_proselint() -> tuple[Path | None, str]:
    exe = PROSELINT_VENV / "bin" / "proselint"
    if not exe.exists():
        print("installing proselint into", PROSELINT_VENV, file=sys.stderr)
        try:
            subprocess.run([PY, "-m", "venv", "--clear", str(PROSELINT_VENV)], check=True)
            subprocess.run([str(PROSELINT_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "proselint"],
                           check=True)
        except subprocess.CalledProcessError as exc:
            return None, f"proselint install failed: {exc}"
    version = subprocess.run([str(PROSELINT_VENV / "bin" / "python"), "-c",
                              "import importlib.metadata as m; print(m.version('proselint'))"],
                             capture_output=True, text=True).stdout.strip()
    return exe, version


def compile_phraselint() -> None:
    """Write phraselint's bytecode, as `pip install` does for a regular install. An editable
    (development) install has none, and with PYTHONDONTWRITEBYTECODE set every run would compile
    the package from source: a cost no installed user pays, and spaCy's own modules never do."""
    where = subprocess.run([PY, "-c", "import os, phraselint; print(os.path.dirname(phraselint.__file__))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([PY, "-m", "compileall", "-q", where], check=True)


def code_fingerprint() -> str:
    """A hash of phraselint's code and rule packs, to tell whether they changed during the run."""
    h = hashlib.sha256()
    for path in sorted(p for d in ("phraselint", "rules") for p in (HERE.parent / d).rglob("*") if p.is_file()
                       and p.suffix in (".py", ".yaml")):
        h.update(path.read_bytes())
    head = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
                          capture_output=True, text=True).stdout.strip()
    return f"{head or 'no-git'}:{h.hexdigest()[:12]}"


def versions() -> dict:
    code = ("import importlib.metadata as m, sys; "
            "print(sys.version.split()[0], m.version('spacy'), m.version('phraselint'))")
    py, spacy, pl = subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {"python": py, "spacy": spacy, "phraselint": pl, "platform": platform.platform(),
            "cpus": os.cpu_count(), "interpreter": PY}


# ------------------------------------------------------------------ main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer runs and smaller inputs (a smoke test)")
    quick = ap.parse_args().quick
    n_cold, n_big, n_many = (3, 1, 1) if quick else (9, 3, 5)
    file_counts = [500, 2000] if quick else [500, 2000, 8000]
    big_sizes = [0.5, 2] if quick else [0.5, 2, 8]
    many = 5000 if quick else 50_000

    WORK.mkdir(exist_ok=True)
    os.environ["PHRASELINT_CACHE_DIR"] = str(WORK / "pack-cache")  # this run's own, not ~/.cache
    compile_phraselint()
    pool, pool_source = sentence_pool()
    meta = generate(pool, file_counts, big_sizes, many)
    pl = phraselint_cmd()
    res: dict = {"quick": quick, "env": versions(), "loadavg_start": os.getloadavg(), "code": code_fingerprint(), "phraselint_cmd": pl, "inputs": {
        "sentences_from": pool_source, "pool_size": len(pool), **meta,
        "big_file_bytes": {f"{mb:g}": (INPUTS / f"big-{mb:g}mb.txt").stat().st_size for mb in big_sizes}}}
    print(f"# phraselint benchmarks{' (--quick)' if quick else ''}\n", file=sys.stderr)

    # a. cold single draft: with the pack cache as every run after the first finds it (its
    # warm-up run fills it), and without it (phraselint/cache.py), as a first run after an upgrade
    print("a. cold single draft ...", file=sys.stderr)
    a = medians({"phraselint": pl + ["check", "draft.txt", "--format", "json"],
                 "phraselint_no_cache": ["env", "PHRASELINT_NO_CACHE=1", *pl, "check", "draft.txt", "--format", "json"],
                 "spacy_blank": [PY, "-c", "import spacy; spacy.blank('en')"]}, n_cold)
    res["a_cold_draft"] = {**a, "ratio": a["phraselint"]["median_s"] / a["spacy_blank"]["median_s"],
                           "ratio_no_cache": a["phraselint_no_cache"]["median_s"] / a["spacy_blank"]["median_s"]}

    # b. 2 MB files: drafts joined by blank lines, real replies joined by blank lines, continuous prose
    for key, name in (("b_big_file", "big-2mb.txt"), ("b_replies", "replies-2mb.txt"), ("b_prose", "prose-2mb.txt")):
        print(f"b. 2 MB file {name} ...", file=sys.stderr)
        b = medians({"phraselint": pl + ["check", name, "--format", "json"],
                     "spacy_tokenizer": [PY, "spacy_tokenize.py", name],
                     "spacy_chunks": [PY, "spacy_tokenize_chunks.py", name]}, n_big)
        res[key] = {**b, "ratio": b["phraselint"]["median_s"] / b["spacy_tokenizer"]["median_s"],
                    "ratio_chunks": b["phraselint"]["median_s"] / b["spacy_chunks"]["median_s"], "file": name}

    # c. 2,000 real replies vs proselint
    print("c. 2,000 real replies vs proselint ...", file=sys.stderr)
    pl_many = pl + ["check", "replies-2000", "--format", "json"]
    cmds = {"phraselint": pl_many}
    prose_exe, prose_version = ensure_proselint()
    if prose_exe:
        cmds["proselint"] = [str(prose_exe), "check", "--output-format", "json", "replies-2000"]
    c = medians(cmds, n_many)
    for label in cmds:
        c[label]["files_linted"], c[label]["findings"] = files_and_findings(label)
    c["proselint_version"] = prose_version
    c["commands"] = cmds  # run with cwd benchmarks/.work/inputs
    if prose_exe:
        c["speedup"] = c["proselint"]["median_s"] / c["phraselint"]["median_s"]
    res["c_many_drafts"] = c

    # e. the reply scores vs the check over the real replies (issue 5: score within 2× of check)
    if CORPUS.is_dir():
        print("e. score vs check over the corpus replies ...", file=sys.stderr)
        e = medians({"check": pl + ["check", str(CORPUS), "--format", "json", "--fail-on", "never"],
                     "score": pl + ["score", str(CORPUS), "--format", "json"]}, n_many)
        res["e_score"] = {**e, "ratio": e["score"]["median_s"] / e["check"]["median_s"]}

    # d. peak memory vs input size, one fresh process each
    print("d. peak memory ...", file=sys.stderr)
    d = {"spacy_blank": run([PY, "-c", "import spacy; spacy.blank('en')"], "mem")}
    for target in ([f"drafts-{n}" for n in file_counts] + [f"big-{mb:g}mb.txt" for mb in big_sizes]
                   + [f"replies-{many}", f"export-{many}.json"]):
        r = run(pl + ["check", target, "--format", "json"], "mem")
        r["files_linted"], r["findings"] = files_and_findings("mem")
        d[target] = r
    for r in d.values():
        r.pop("stdout")
    res["d_memory"] = d

    res["loadavg_end"] = os.getloadavg()
    end = code_fingerprint()
    if end.split(":")[1] != res["code"].split(":")[1]:  # the code's hash, not just HEAD, changed
        res["code"] += f" -> {end} (CODE CHANGED DURING THE RUN: numbers mix versions)"
    (WORK / "results.json").write_text(json.dumps(res, indent=2, default=str) + "\n", encoding="utf-8")
    print(render(res))


def render(res: dict) -> str:
    a, c, d, env = res["a_cold_draft"], res["c_many_drafts"], res["d_memory"], res["env"]

    def t(m: dict) -> str:  # median wall time, with median CPU time (user+sys) beside it
        return f"{m['median_s']:.2f} s (cpu {m['median_cpu_s']:.2f} s)"

    def n(m: dict) -> int:
        return len(m["runs_s"])

    load = " / ".join(f"{x:.2f}" for x in res["loadavg_start"][:1] + res["loadavg_end"][:1])
    lines = [f"phraselint {env['phraselint']} (code {res['code']}), spaCy {env['spacy']}, Python {env['python']}, {env['cpus']} CPUs; "
             f"inputs from {res['inputs']['sentences_from']}; 1-min load average at start / end: {load}"
             + ("; QUICK MODE (fewer runs, smaller inputs)" if res["quick"] else ""), "",
             "| Measurement (median wall time, whole process) | phraselint | baseline | ratio | target | met |",
             "| --- | --- | --- | --- | --- | --- |",
             f"| a. cold single draft ({res['inputs']['draft_words']} words), {n(a['phraselint'])} runs | "
             f"{t(a['phraselint'])} | `spacy.blank('en')`: {t(a['spacy_blank'])} | {a['ratio']:.2f}× | ≤ 1.3× | "
             f"{'yes' if a['ratio'] <= 1.3 else 'NO'} |",
             ]
    if "phraselint_no_cache" in a:
        lines.append(f"| a'. the same, without the pack cache (a first run), {n(a['phraselint_no_cache'])} runs | "
                     f"{t(a['phraselint_no_cache'])} | the same | {a['ratio_no_cache']:.2f}× | ≤ 1.3× | "
                     f"{'yes' if a['ratio_no_cache'] <= 1.3 else 'NO'} |")
    for key, what in (("b_big_file", "drafts joined by blank lines"), ("b_replies", "real corpus replies joined by "
                      "blank lines"), ("b_prose", "continuous prose, no line break")):
        if key in res:
            b = res[key]
            lines.append(f"| b. 2 MB file, {what} (`{b.get('file', 'big-2mb.txt')}`), {n(b['phraselint'])} runs | "
                         f"{t(b['phraselint'])} | spaCy tokenizer, paragraph by paragraph: {t(b['spacy_tokenizer'])}"
                         + (f" (in 100,000-character pieces: {t(b['spacy_chunks'])}, {b['ratio_chunks']:.2f}×)"
                            if "spacy_chunks" in b else "") + f" | {b['ratio']:.2f}× | "
                         f"≤ 2× | {'yes' if b['ratio'] <= 2 else 'NO'} |")
    if "speedup" in c:
        lines.append(f"| c. 2,000 {res['inputs'].get('replies_2000', 'drafts')} as files, {n(c['phraselint'])} runs | {t(c['phraselint'])} | "
                     f"proselint {c['proselint_version']}: {t(c['proselint'])} | phraselint {c['speedup']:.2f}× "
                     f"faster | ≥ 3× faster | {'yes' if c['speedup'] >= 3 else 'NO'} |")
    else:
        lines.append(f"| c. 2,000 drafts | {t(c['phraselint'])} | {c['proselint_version']} | – | ≥ 3× faster | – |")
    if "e_score" in res:
        e = res["e_score"]
        lines.append(f"| e. `score` over the corpus replies, {n(e['score'])} runs | {t(e['score'])} | `check` over them: "
                     f"{t(e['check'])} | {e['ratio']:.2f}× | ≤ 2× | {'yes' if e['ratio'] <= 2 else 'NO'} |")
    lines += ["", "| d. One fresh process each | files linted | findings | wall time | peak RSS |",
              "| --- | --- | --- | --- | --- |"]
    for target, r in d.items():
        name = "`import spacy; spacy.blank('en')` (floor)" if target == "spacy_blank" else f"`phraselint check {target}`"
        if target.startswith(("replies-", "export-")):  # the 50,000 replies: a target of ≤ 200 MB
            name += f" ({'as files' if target.startswith('replies-') else 'one Zendesk export'}, ≤ 200 MB: " \
                    f"{'yes' if r['peak_rss_mb'] <= 200 else 'NO'})"
        lines.append(f"| {name} | {r.get('files_linted', '–')} | {r.get('findings', '–')} | {r['wall_s']:.2f} s | "
                     f"{r['peak_rss_mb']:.0f} MB |")
    lines += ["", f"Commands for c (cwd {INPUTS}):"]
    lines += [f"- {k}: `{' '.join(cmd)}` ({c[k]['files_linted']} files, {c[k]['findings']} findings)"
              for k, cmd in c["commands"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
