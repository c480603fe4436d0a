#!/usr/bin/env bash
# bench/export: the time and peak memory of `needsmap export` in every format, for a generated
# questionnaire of 100 questions (every type; 175 columns) at 100,000 responses and at 25,000, to
# show that memory stays flat as the count grows (responses stream from the database and to the
# file). Goal: under 10 s a format at 100,000.
#   bench/export.sh [responses=100000] [smaller=25000]
# NEEDSMAP_BIN picks the binary. The responses go straight into the SQLite database in one
# transaction (not through HTTP), with the schema the binary creates. Needs /usr/bin/time (GNU).
set -euo pipefail
cd "$(dirname "$0")/.."
large=${1:-100000}
small=${2:-25000}
bin=${NEEDSMAP_BIN:-build/needsmap}
[ -x /usr/bin/time ] || { echo "bench/export needs GNU time (apt-get install time)"; exit 1; }
python=/usr/bin/python3

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# The questionnaire: 100 questions of every type an export handles.
"$python" - "$dir/bench.json" <<'PY'
import json, sys
def text(s): return {"sr-Cyrl": s, "en": s}
def choices(prefix, n): return [{"name": f"{prefix}{i}", "label": text(f"Одговор {i} — {prefix}")} for i in range(1, n + 1)]
plan = ([("single", 35), ("scale", 10), ("multiple", 10), ("matrix", 5), ("ranking", 3), ("integer", 10),
         ("decimal", 5), ("year", 2), ("date", 5), ("text", 10), ("long_text", 3), ("calculate", 2)])
questions = []
for kind, count in plan:
    for i in range(1, count + 1):
        q = {"name": f"{kind}_{i}", "type": kind, "label": text(f"Питање {kind} {i}: колико сте задовољни?")}
        if kind in ("single", "multiple", "ranking"): q["choices"] = choices("c", 8 if kind == "ranking" else 6 if kind == "multiple" else 5)
        if kind == "scale": q["choices"] = choices("s", 5)
        if kind == "matrix": q["rows"] = choices("r", 4); q["choices"] = choices("m", 4)
        if kind == "ranking": q["max_rank"] = 3
        if kind == "integer": q["min"] = 0; q["max"] = 1000
        if kind == "calculate": q["calculation"] = "if(selected(${single_1}, 'c1'), 1, 0)"; del q["label"]
        questions.append(q)
sections = [{"name": f"page_{p}", "title": text(f"Страна {p}"), "questions": questions[p * 10:(p + 1) * 10]} for p in range(10)]
json.dump({"format": "needsmap-questionnaire/1", "name": "bench", "version": "1", "title": text("Бенчмарк извоза"),
           "sections": sections}, open(sys.argv[1], "w"), ensure_ascii=False)
PY

fill() {  # fill DATABASE COUNT
  "$bin" campaign create --db "$1" --municipality bench --municipality-name Бенч --campaign big --questionnaire "$dir/bench.json" >/dev/null
  "$python" - "$1" "$2" "$dir/bench.json" <<'PY'
import json, random, sqlite3, sys, uuid
db, count, questionnaire = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))
rng = random.Random(7)
words = "помоћ у кући дневни боравак Ђорђе čekanje pomoć старији <b> \"наводници\" =SUM(A1) 42".split()
questions = [q for s in questionnaire["sections"] for q in s["questions"]]
def answer(q):
    t = q["type"]
    if t in ("single", "scale"): return rng.choice(q["choices"])["name"]
    if t == "multiple": return [c["name"] for c in q["choices"] if rng.random() < 0.3] or [q["choices"][0]["name"]]
    if t == "matrix": return {r["name"]: rng.choice(q["choices"])["name"] for r in q["rows"]}
    if t == "ranking": return [c["name"] for c in rng.sample(q["choices"], 3)]
    if t == "integer": return rng.randint(0, 1000)
    if t == "decimal": return round(rng.uniform(0, 100), 2)
    if t == "year": return rng.randint(1930, 2007)
    if t == "date": return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if t == "text": return " ".join(rng.choices(words, k=rng.randint(1, 12)))
    if t == "long_text": return "\n".join(" ".join(rng.choices(words, k=15)) for _ in range(rng.randint(1, 4)))
    if t == "calculate": return rng.choice(["0", "1"])
c = sqlite3.connect(db)
campaign = c.execute("SELECT c.id FROM campaigns c JOIN municipalities m ON m.id = c.municipality_id"
                     " WHERE m.slug = 'bench' AND c.slug = 'big'").fetchone()[0]
def rows():
    for i in range(count):
        answers = {q["name"]: answer(q) for q in questions if rng.random() < 0.9}
        yield (str(uuid.UUID(int=rng.getrandbits(128), version=4)), campaign, f"bench-{i}",
               f"2025-11-{1 + i % 28:02d}", rng.choice(["web", "api", "interview", "paper"]), "sr-Cyrl",
               json.dumps(answers, ensure_ascii=False))
with c:
    c.executemany("INSERT INTO responses (id, campaign_id, submission_id, submitted_on, mode, language, answers)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?)", rows())
c.close()
PY
}

measure() {  # measure DATABASE FORMAT → "wall-seconds cpu-seconds peak-kilobytes file-bytes"
  local out="$dir/out.$2"
  /usr/bin/time -v -o "$dir/time.txt" "$bin" export --db "$1" --campaign bench/big --format "$2" --out "$out" >/dev/null
  awk -F': ' -v bytes="$(stat -c %s "$out")" '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident set size/ { kb = $2 }
    END { print wall, cpu, kb, bytes }' "$dir/time.txt"
  rm -f "$out"
}

echo "needsmap bench/export: 100 questions (175 columns), $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
echo "filling the databases…"
fill "$dir/small.db" "$small"
fill "$dir/large.db" "$large"
cat >"$dir/report.py" <<'PY'
import sys
small, large = sys.argv[1], sys.argv[2]
print(f"{'format':<14} {'responses':>9} {'wall':>8} {'cpu':>8} {'peak memory':>12} {'file':>10}")
for line in sys.stdin:
    f, *v = line.split()
    for count, (wall, cpu, kb, size) in ((small, v[0:4]), (large, v[4:8])):
        print(f"{f:<14} {count:>9} {float(wall):7.2f}s {float(cpu):7.2f}s {int(kb) / 1024:8.1f} MiB {int(size) / 2**20:6.1f} MiB")
    print(f"{'':<14} peak memory at {large} / at {small}: {int(v[6]) / int(v[2]):.2f}")
PY
for format in csv xlsx sav codebook-html codebook-csv; do
  measure "$dir/small.db" "$format" >"$dir/small.txt"
  measure "$dir/large.db" "$format" >"$dir/large.txt"
  echo "$format $(cat "$dir/small.txt") $(cat "$dir/large.txt")"
done | "$python" "$dir/report.py" "$small" "$large"
