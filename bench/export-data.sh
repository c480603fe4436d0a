# Sourced by bench/export.sh and bench/export-http.sh, with $bin, $python and $dir set: writes the
# benchmark questionnaire (100 questions of every type; 175 export columns) and defines fill,
# which creates a campaign of it and puts responses straight into the SQLite database in one
# transaction (not through HTTP), with the schema the binary creates.
# The questionnaire: 100 questions of every type an export handles, in $dir/bench.json.
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

fill() {  # fill DATABASE COUNT [CAMPAIGN=big]: campaign bench/CAMPAIGN with COUNT responses
  local campaign=${3:-big}
  "$bin" campaign create --db "$1" --municipality bench --municipality-name Бенч --campaign "$campaign" --questionnaire "$dir/bench.json" >/dev/null
  "$python" - "$1" "$2" "$dir/bench.json" "$campaign" <<'PY'
import json, random, sqlite3, sys, uuid
db, count, questionnaire, slug = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3])), sys.argv[4]
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
                     " WHERE m.slug = 'bench' AND c.slug = ?", (slug,)).fetchone()[0]
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
