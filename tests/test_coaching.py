"""Reply-level coaching checks and the reply score (issue 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from phraselint.cli import cli

from .conftest import CORPUS, ROOT

DATA = Path(__file__).parent / "data"
#: Hand-written pairs: a was used to tune the signals; b and c were written apart from the code
#: and measured before any tuning on them (see the README's coaching section).
PAIR_FILES = ("coaching_pairs_a.yaml", "coaching_pairs_b.yaml", "coaching_pairs_c.yaml")
PAIRS = [pytest.param(pair, id=f"{name[-6]}{i}-{pair['situation'][:30]}")
         for name in PAIR_FILES for i, pair in enumerate(yaml.safe_load((DATA / name).read_text())["pairs"])]
CHECK_IDS = {"coaching.empathy", "coaching.feelings_first", "coaching.apology_form", "coaching.customer_named",
             "coaching.ownership", "coaching.alternative", "coaching.follow_up", "coaching.wording"}


@pytest.mark.parametrize("pair", PAIRS)
def test_guidance_reply_scores_high_and_its_poor_twin_low(pair, coach):
    good, _ = coach(pair["good"])
    poor, poor_findings = coach(pair["poor"])
    assert good.score >= 75, (good.score, good.missing)
    assert poor.score <= 50, (poor.score, poor.checks)
    assert good.score > poor.score
    named = {f.rule for f in poor_findings if f.scope == "reply"}
    assert named & set(poor.missing), "a reply-level finding names what is missing"


# The guidance's own examples, good and bad.
GOOD = [
    "I'm sorry you haven't received that information as promised, Mr Smith. I'll make sure it goes out today.",
    "I can understand how you feel, I don't like it either when I'm kept waiting. I'll report this to my manager.",
    "Hi Sam, I can understand that you're angry. I'll do my best to ensure it doesn't happen in the future.",
    "I see what you mean, Ms Lee. I apologize for the delay in your refund, and I'll check back with you on Friday.",
]
POOR = [
    "Sorry 'bout that, give me the details and I'll sort this out for you.",
    "Reinstall the app. Thanks.",
    "We can't refund this. You have to contact the seller.",
    "Sorry! Sorry again. So sorry for any inconvenience.",
]


@pytest.mark.parametrize("text", GOOD)
def test_guidance_good_examples_score_high(text, coach):
    score, findings = coach(text)
    assert score.score >= 75, score.checks
    assert score.checks["coaching.empathy"] is True


@pytest.mark.parametrize("text", POOR)
def test_guidance_warnings_score_low_with_a_reason(text, coach):
    score, findings = coach(text)
    assert score.score <= 50, score.checks
    assert any(f.scope == "reply" for f in findings)


def test_empathy_after_the_solution_is_feelings_second(coach):
    score, findings = coach("Hi Sam, I've refunded the order. I can see why the delay upset you.")
    assert score.checks["coaching.feelings_first"] is False
    (f,) = [f for f in findings if f.rule == "coaching.feelings_first"]
    assert f.match == "I've refunded the order."  # anchored to the solution that came first, after the greeting


def test_over_apologizing_is_flagged_and_is_no_acknowledgement(coach):
    score, findings = coach("Hi Sam, I'm so sorry for the delay. We apologize for the wait. Apologies again.")
    assert score.checks["coaching.apology_form"] is False
    assert score.checks["coaching.empathy"] is False
    (f,) = [f for f in findings if f.rule == "coaching.apology_form"]
    assert "3 apologies" in f.message


@pytest.mark.parametrize(("text", "ok"), [
    ("I apologize for the delay in your refund.", True),
    ("We are very sorry that your parcel arrived damaged.", True),
    ("I'm sorry to hear that your parcel arrived damaged.", True),
    ("I'm sorry to hear that.", False),  # names nothing
    ("Sorry for the delay in your refund.", False),  # a fragment
    ("I'm sorry.", False),
    ("We apologize for any inconvenience this may have caused.", False),
    ("Oops, my bad.", False),
    ("I'm sorry, but that is how it works.", False),
    ("Three weeks is far too long to wait for a refund, Sam, and I'm sorry.", True),  # named before it
    ("Hi Sam, I'm sorry.", False),
])
def test_apology_form(text, ok, coach):
    score, _ = coach(text)
    assert score.checks["coaching.apology_form"] is ok


@pytest.mark.parametrize(("text", "named"), [
    ("Hi Dana, your refund is on its way.", True),
    ("Dear Mr Okafor,\n\nYour refund is on its way.", True),
    ("Your refund is on its way, Mrs Patel.", True),
    ("Thanks for waiting, Dana. Your refund is on its way.", True),
    ("Sam, your refund is on its way.", True),
    ("Firstly, your refund is on its way.", False),
    ("Hi {{ticket.requester.first_name}}, your refund is on its way.", True),
    ("Hello %{customer.name}, your refund is on its way.", True),
    ("Hi [Customer Name], your refund is on its way.", True),
    ("@dana_k your refund is on its way.", True),
    ("Thanks for the report, @octocat! I'll look into it.", True),  # a GitHub mention
    ("Hi *|FNAME|*, your refund is on its way.", True),  # Mailchimp
    ("Hi {{ author }}, thanks for the report.", True),
    ("Hello,\n\nFirstly, your refund is on its way.", False),
    ("Hi {{ agent.name }} here, your refund is on its way.", False),
    ("This is about <PROJECT NAME>.", False),
    ("Dear Customer, your refund is on its way.", False),
    ("Hi there, your refund is on its way.", False),
    ("Your refund is on its way.\n\nThanks,\nPriya", False),  # the agent's own name
    ("Your refund is on its way.\n\n{{current_user.first_name}}", False),  # the agent's placeholder
])
def test_customer_named(text, named, coach):
    score, _ = coach(text)
    assert score.checks["coaching.customer_named"] is named


@pytest.mark.parametrize(("text", "owns"), [
    ("I'll send it today.", True),
    ("We're looking into it now.", True),
    ("I've escalated your ticket to the billing team.", True),
    ("I reset your password this morning.", True),
    ("Let me check that for you.", True),
    ("I'd be happy to set that up.", True),
    ("Please DM us so that we can look into this.", True),  # the action, put as a purpose
    ("I can't change that.", False),
    ("You will need to reset your password.", False),
    ("We have received your message.", None),  # nothing to act on: the check does not apply
    ("Let me know if that works.", None),
    ("Sorry your card was declined twice. I've had a look and the payment is through now.", True),  # a light verb
    ("Sorry your card was declined twice. We had a delay at the bank.", False),  # an event, not an act
])
def test_ownership(text, owns, coach):
    score, _ = coach(text)
    assert score.checks["coaching.ownership"] is owns


@pytest.mark.parametrize(("text", "verdict"), [
    ("We can't refund orders after 30 days.", False),
    ("We can't refund orders after 30 days. What I can do is offer store credit.", True),
    ("Unfortunately you're not eligible for a refund, but you can exchange the item.", True),
    ("If you can't log in, reset your password.", None),  # the customer's situation, no "no"
    ("I can't wait to help you set this up!", None),
    # a way forward said as a burden is still a way forward (the burden is its own finding)
    ("We can't reset passwords over chat. You'll need to call 0800 555 0199 from the phone on the account.", True),
    # an order is a way forward, unless it only points back at what was written
    ("We won't change the default. Set strict to False in the reader and it rebuilds the table.", True),
    ("We can't refund opened items. Please refer to our returns policy.", False),
    # advice for another time is no way forward now ("we'd recommend" said as "we'd")
    ("We can't reprint it. For future orders we'd recommend uploading the original file.", False),
    ("We can't reprint it, but we'd recommend our photo-restoration service for this one.", True),
])
def test_alternative(text, verdict, coach):
    score, _ = coach(text)
    assert score.checks["coaching.alternative"] is verdict


@pytest.mark.parametrize("reply", [
    "@mia No problem at all, Mia! So glad the dress arrived in time.",
    "Yep, no worries. The beginners' class has space on the 23rd.",
    "Thanks! Feel free to open an issue for the dark-mode idea.",
    "The waiting list for the Saturday class opens on Monday.",
])
def test_a_courtesy_a_ticket_or_a_waiting_list_names_no_problem(coach, reply):
    score, _ = coach(reply)
    assert score.checks["coaching.ownership"] is None


def test_a_signal_said_with_a_contraction_is_read(coach):
    # "that is on us" in the signals, "that's on us" in the reply: spaCy reads "'s" as itself
    score, _ = coach("Yeah, the update broke the sidebar and that's on us. 0.9.1 is out with the fix.")
    assert score.checks["coaching.empathy"] is True


def test_an_idiom_after_cant_names_no_problem(coach):
    score, _ = coach("Lovely work on this pull request. I can't wait to see what you build with it!")
    assert score.checks["coaching.empathy"] is None


def test_follow_up_is_owed_only_while_the_problem_is_open(coach):
    # A hand-off leaves the problem open: a word on when the customer hears back is owed.
    score, findings = coach("We're sorry about the double charge. I've passed this on to our billing team.")
    assert score.checks["coaching.follow_up"] is False
    assert [f.reason for f in findings if f.rule == "coaching.follow_up"] == ["the reply hands the problem on"]
    score, _ = coach("We're sorry about the double charge. I've passed this on to our billing team, "
                     "and I'll check back with you on Friday.")
    assert score.checks["coaching.follow_up"] is True
    # A final answer, a thank-you or a plain notice leaves nothing open, with or without the message.
    for reply in ("The refund was sent on Monday. It takes five days to show.", "Thanks for the kind words!"):
        score, _ = coach(reply)
        assert score.checks["coaching.follow_up"] is not False


@pytest.mark.parametrize(("reply", "owed"), [
    ("Thanks for the feedback, we'll pass it on to the store team.", False),  # handed on: it stays open
    ("Your comments have been passed to the relevant department for review.", False),
    ("Sorry. No ETA on this one.", False),  # left waiting
    ("Your ticket is in the queue, no need to chase.", False),
    ("There's a known issue with logins this morning. We'll update this thread as soon as it's fixed.", True),
    # word promised, or a next step of the customer's own
    ("Your order is currently in the queue. You'll receive an email once it's complete.", True),
    ("Controller drift on 1.3 is a known issue. Until the hotfix, try turning off Adaptive Deadzone.", True),
    # settled, with a note passed on besides: nothing left open
    ("I've refunded the delivery fee and passed your feedback to the restaurant.", None),
])
def test_follow_up_is_owed_when_the_reply_leaves_the_matter_open(coach, reply, owed):
    score, _ = coach(reply)
    assert score.checks["coaching.follow_up"] is owed


def test_incoming_message_makes_empathy_apply(coach):
    reply = "Your tracking number is 48213. It arrives on Monday."
    plain, _ = coach(reply)
    assert plain.checks["coaching.empathy"] is None
    upset, findings = coach(reply, incoming="My order NEVER arrived and I'm furious!!")
    assert upset.checks["coaching.empathy"] is False
    assert "coaching.empathy" in {f.rule for f in findings}
    calm, _ = coach(reply, incoming="What time do you open on Sundays?")
    assert calm.checks["coaching.empathy"] is None


@pytest.mark.parametrize("reply, owed", [
    ("Please clear a metre around the fireplace and take anything off the mantelpiece. See you Thursday!", None),
    ("Congratulations on your offer! Please send your passport scan with the form.", None),
    ("Please restart the app and log in again.", False),
])
def test_instructions_with_good_news_owe_no_empathy(coach, reply, owed):
    score, _ = coach(reply)
    assert score.checks["coaching.empathy"] is owed


@pytest.mark.parametrize("reply", [
    "Thank you for your enquiry. We are unable to release component scores by email.",
    "Thanks for the PR! Before we can merge, you'll need to sign the CLA.",
    "Great question! The deposit can't be moved to another date, but the slot is yours.",
])
def test_a_reply_to_a_request_owes_no_empathy_for_its_no(coach, reply):
    score, _ = coach(reply)
    assert score.checks["coaching.empathy"] is None


def test_a_reply_to_a_request_that_names_trouble_still_owes_empathy(coach):
    score, _ = coach("Thank you for your order. Unfortunately it arrived damaged, and we can't replace it.")
    assert score.checks["coaching.empathy"] is False
    # and the customer's message decides when there is one
    score, _ = coach("Thanks for the PR! We can't merge it yet.", incoming="This bug wiped my data!!")
    assert score.checks["coaching.empathy"] is False


def test_a_lone_apology_fragment_that_names_the_trouble_acknowledges_it(coach):
    score, findings = coach("Sorry for the delay to your flight today. Trains to the city run every 10 minutes.")
    assert score.checks["coaching.empathy"] is True
    assert score.checks["coaching.apology_form"] is False  # the form is still a fragment
    # a name is not what it is sorry for: "Sorry Hannah!" names nothing
    score, _ = coach("Sorry Hannah! We can't refund it.")
    assert score.checks["coaching.empathy"] is False


def test_min_score_is_a_finding_at_the_fail_on_level(coach):
    score, findings = coach("Reinstall the app. Thanks.", min_score=60)
    (f,) = [f for f in findings if f.rule == "coaching.score"]
    assert f.severity == "warning" and f.scope == "reply"
    assert f"score {score.score} < 60" in f.message and "empathy" in f.message
    _, findings = coach("Reinstall the app. Thanks.")
    assert "coaching.score" not in {f.rule for f in findings}


# ---------------------------------------------------------------- the command line


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args, input=None):
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


LIBRARY = {"replies": [
    {"name": "refund-late", "body": "Hi {{first_name}}, sorry bout that. You have to wait."},
    {"name": "refund-good", "body": "Hi {{first_name}}, I'm sorry your refund is late. I've sent it today "
                                    "and I'll check back with you on Friday."},
]}


def test_json_replies_list_and_reply_findings(run, tmp_path):
    (tmp_path / "macros.json").write_text(json.dumps(LIBRARY, indent=2), encoding="utf-8")
    result = run("check", "macros.json", "--format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [(r["path"], r["reply"]) for r in doc["replies"]] == [("macros.json", "refund-late"),
                                                                 ("macros.json", "refund-good")]
    for entry in doc["replies"]:
        assert set(entry) >= {"path", "reply", "score", "checks"}
        assert set(entry["checks"]) == CHECK_IDS
        assert all(v in (True, False, None) for v in entry["checks"].values())
        assert 0 <= entry["score"] <= 100
    late, good = doc["replies"]
    assert late["score"] <= 50 < 75 <= good["score"]
    raw = (tmp_path / "macros.json").read_text(encoding="utf-8")
    reply_findings = [r for r in doc["results"] if r["scope"] == "reply"]
    assert reply_findings and all(r["reply"] == "refund-late" for r in reply_findings)
    for r in reply_findings:
        assert r["match"] == raw[r["offset"]:r["end_offset"]] and r["suggestions"]
        assert late["checks"][r["rule"]] is False


def test_text_output_has_a_score_line_per_reply(run, tmp_path):
    (tmp_path / "d.txt").write_text("Reinstall the app. Thanks.\n", encoding="utf-8")
    result = run("check", "d.txt")
    out = result.stdout.splitlines()
    lines = [i for i, line in enumerate(out) if "/100" in line]
    assert len(lines) == 1 and "d.txt:1" in out[lines[0]]
    assert any("empathy" in line for line in out[lines[0] + 1:])


def test_score_lists_worst_first_and_min_score_sets_the_exit_code(run, tmp_path):
    (tmp_path / "macros.json").write_text(json.dumps(LIBRARY), encoding="utf-8")
    (tmp_path / "ok.txt").write_text(GOOD[0], encoding="utf-8")
    result = run("score", ".")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if "/100" in line]
    scores = [int(line.split("/100")[0]) for line in rows]
    assert len(rows) == 3 and scores == sorted(scores)
    assert "refund-late" in rows[0]
    assert "3 replies: mean" in result.stdout
    result = run("score", ".", "--format", "json", "--min-score", "60")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [r["score"] for r in doc["replies"]] == sorted(scores)
    assert doc["summary"]["below"] == 1 and doc["summary"]["replies"] == 3
    assert run("score", ".", "--min-score", "60", "--fail-on", "never").exit_code == 0


def test_min_score_in_config_and_on_check(run, tmp_path):
    (tmp_path / "d.txt").write_text("Reinstall the app. Thanks.\n", encoding="utf-8")
    (tmp_path / "phraselint.yaml").write_text("min-score: 70\nfail-on: error\n")
    doc = json.loads(run("check", "d.txt", "--format", "json").stdout)
    (f,) = [r for r in doc["results"] if r["rule"] == "coaching.score"]
    assert f["severity"] == "error"  # the --fail-on level, so the run fails on it
    assert run("check", "d.txt").exit_code == 1
    (tmp_path / "phraselint.yaml").write_text("min-score: 170\n")
    result = run("check", "d.txt")
    assert result.exit_code == 2 and "min-score" in result.stderr and len(result.stderr.splitlines()) == 1


def test_incoming_option(run, tmp_path):
    (tmp_path / "d.txt").write_text("Your tracking number is 48213.\n", encoding="utf-8")
    (tmp_path / "in.txt").write_text("Where is my order?? It is two weeks late and I am fed up.\n")
    doc = json.loads(run("check", "d.txt", "--format", "json", "--incoming", "in.txt").stdout)
    assert doc["replies"][0]["checks"]["coaching.empathy"] is False
    result = run("check", "d.txt", "--incoming", "missing.txt")
    assert result.exit_code == 2 and "missing.txt" in result.stderr and "Traceback" not in result.output


def test_ignoring_a_check_takes_it_out_of_the_score(run, tmp_path):
    (tmp_path / "d.txt").write_text("I'll send the refund today.\n", encoding="utf-8")
    full = json.loads(run("check", "d.txt", "--format", "json").stdout)["replies"][0]
    assert full["checks"]["coaching.customer_named"] is False
    less = json.loads(run("check", "d.txt", "--format", "json", "--ignore", "coaching.customer_named").stdout)
    assert "coaching.customer_named" not in less["replies"][0]["checks"]
    assert less["replies"][0]["score"] > full["score"]
    only = json.loads(run("check", "d.txt", "--format", "json", "--select", "coaching").stdout)
    assert only["replies"][0]["checks"]["coaching.wording"] is None  # no phrase rule runs
    none = json.loads(run("check", "d.txt", "--format", "json", "--ignore", "coaching").stdout)
    assert none["replies"] == []


def test_select_coaching_still_sees_refusals(run, tmp_path):
    (tmp_path / "d.txt").write_text("Hi Sam, we can't refund this order.\n", encoding="utf-8")
    full = json.loads(run("check", "d.txt", "--format", "json").stdout)
    only = json.loads(run("check", "d.txt", "--format", "json", "--select", "coaching").stdout)
    assert full["replies"][0]["checks"]["coaching.alternative"] is False
    assert only["replies"][0]["checks"]["coaching.alternative"] is False
    assert {r["rule"] for r in only["results"]} <= {"coaching." + c for c in
                                                    ("empathy", "ownership", "alternative", "follow_up")}


def test_suppressing_a_reply_finding_takes_it_out_of_the_score(run, tmp_path):
    body = "Please clear your cache and try again.\n"
    (tmp_path / "a.md").write_text(body, encoding="utf-8")
    (tmp_path / "b.md").write_text("<!-- phraselint-disable coaching.customer_named -->\n" + body, encoding="utf-8")
    doc = json.loads(run("check", "a.md", "b.md", "--format", "json").stdout)
    a, b = doc["replies"]
    assert a["checks"]["coaching.customer_named"] is False and b["checks"]["coaching.customer_named"] is None
    assert not [r for r in doc["results"] if r["path"] == "b.md" and r["rule"] == "coaching.customer_named"]


def test_fix_leaves_reply_level_findings_alone(run, tmp_path):
    (tmp_path / "d.txt").write_text("Sorry 'bout that. Reinstall the app.\n", encoding="utf-8")
    result = run("fix", "d.txt")
    assert (tmp_path / "d.txt").read_text() == "I apologize for that. Reinstall the app.\n"
    assert "coaching" not in result.output


@pytest.mark.parametrize("rule_id", sorted(CHECK_IDS | {"coaching.score"}))
def test_rule_doc_explains_each_check(run, rule_id):
    result = run("rule", rule_id)
    assert result.exit_code == 0
    for heading in ("Why", "Reply-level check", "weight in the reply score", "Fails on", "Passes", "Instead"):
        assert heading in result.stdout, heading


# ---------------------------------------------------------------- packs


RULE = """rules:
  - id: house.check
    severity: warning
    message: A house check.
    why: Because the guidance says so, and a team wants its own weight on it in the score.
{extra}
"""


@pytest.mark.parametrize(("extra", "error"), [
    ("    check: empathy\n    match: {phrases: [x]}", "exactly one of 'match'"),
    ("    check: empathee", "did you mean 'empathy'"),
    ("    check: empathy\n    weight: 150", "'weight' must be a whole number from 0 to 100"),
    ("    check: apology_form\n    options: {max_apology: 2}", "unknown key 'max_apology'"),
    ("    check: apology_form\n    options: {max_apologies: two}", "must be a int"),
    ("    check: empathy\n    context: {not_negated: true}", "'context' belongs to phrase rules only"),
    ("    match: {phrases: [x]}\n    weight: 5", "'weight' belongs to reply-level rules only"),
])
def test_reply_rule_validation(run, tmp_path, extra, error):
    (tmp_path / "house.yaml").write_text(RULE.format(extra=extra))
    (tmp_path / "d.txt").write_text("hello")
    result = run("check", "d.txt", "--rules", "house.yaml")
    assert result.exit_code == 2 and error in result.stderr, result.stderr
    assert "house.yaml:" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_pack_adds_signal_words_and_rejects_unknown_signals(run, tmp_path):
    (tmp_path / "d.txt").write_text("Hi Sam, the gizmotron is being grumpy. I'll send a new one today.\n")
    before = json.loads(run("check", "d.txt", "--format", "json").stdout)["replies"][0]
    assert before["checks"]["coaching.empathy"] is None
    (tmp_path / "house.yaml").write_text("signals:\n  problem: [being grumpy]\nrules: []\n")
    after = json.loads(run("check", "d.txt", "--format", "json", "--rules", "house.yaml").stdout)["replies"][0]
    assert after["checks"]["coaching.empathy"] is False
    (tmp_path / "house.yaml").write_text("signals:\n  problems: [being grumpy]\nrules: []\n")
    result = run("check", "d.txt", "--rules", "house.yaml")
    assert result.exit_code == 2 and "unknown signal 'problems'" in result.stderr


def test_signal_lists_are_sorted_and_unique_after_normalizing(nlp):
    data = yaml.safe_load((ROOT / "rules" / "coaching.yaml").read_text())["signals"]
    for name, phrases in data.items():
        assert phrases == sorted(phrases, key=str.lower), name
        normalized = [tuple(t.norm_ for t in nlp.make_doc(p)) for p in phrases]
        duplicates = {p for p in normalized if normalized.count(p) > 1}
        assert not duplicates, (name, duplicates)


def test_weights_are_documented_and_sum_to_the_score(run):
    rows = json.loads(run("rules", "--format", "json").stdout)
    weights = {r["id"]: r["weight"] for r in rows if r["scope"] == "reply"}
    assert set(weights) == CHECK_IDS | {"coaching.score"}
    assert all(w > 0 for rule_id, w in weights.items() if rule_id != "coaching.score")
    readme = (ROOT / "README.md").read_text()
    for rule_id, weight in weights.items():
        if weight:
            assert f"`{rule_id}` | {weight}" in readme, rule_id


# ---------------------------------------------------------------- real replies


@pytest.mark.skipif(not (CORPUS / "replies").is_dir(), reason="shared corpus not present")
def test_the_real_replies_are_scored_without_a_crash(run):
    result = run("check", str(CORPUS / "replies"), "--format", "json", "--fail-on", "never")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    assert len(doc["replies"]) > 100
    raws: dict[str, str] = {}
    for r in doc["results"]:
        if r["scope"] != "reply":
            continue
        raw = raws.setdefault(r["path"], Path(r["path"]).read_text(encoding="utf-8", errors="replace"))
        assert r["match"] == raw[r["offset"]:r["end_offset"]]
        assert r["end_offset"] - r["offset"] < 5000, "an anchor is a sentence, not a page"
    scored = run("score", str(CORPUS / "replies"), "--format", "json")
    assert scored.exit_code == 0
    assert len(json.loads(scored.stdout)["replies"]) == len(doc["replies"])


def test_reply_findings_in_sarif_github_and_line(run, tmp_path):
    from .formats.test_sarif import SCHEMA, validate

    (tmp_path / "d.txt").write_text("Hi Sam,\nReinstall the app.\n", encoding="utf-8")
    doc = json.loads(run("check", "d.txt", "--format", "sarif").stdout)
    if SCHEMA.is_file():
        validate(doc)
    (sarif_run,) = doc["runs"]
    rules = {r["id"] for r in sarif_run["tool"]["driver"]["rules"]}
    ids = {r["ruleId"] for r in sarif_run["results"]}
    assert "coaching.empathy" in ids and ids <= rules
    github = run("check", "d.txt", "--format", "github").stdout
    assert "coaching.empathy" in github and all(line.startswith("::") for line in github.splitlines())
    line = run("check", "d.txt", "--format", "line").stdout
    assert "d.txt:2:1: suggestion coaching.empathy:" in line


# ---------------------------------------------------------------- from an adversarial review


def test_incoming_binary_file_or_stdin(run, tmp_path):
    (tmp_path / "d.txt").write_text("Your tracking number is 48213.\n", encoding="utf-8")
    (tmp_path / "bin.dat").write_bytes(b"\x00\x01\x02binary")
    result = run("check", "d.txt", "--incoming", "bin.dat")
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1 and "bin.dat" in result.stderr
    doc = json.loads(run("check", "d.txt", "--format", "json", "--incoming", "-",
                         input="Two weeks late and I'm furious!!").stdout)
    assert doc["replies"][0]["checks"]["coaching.empathy"] is False
    assert run("check", "-", "--incoming", "-", input="hi").exit_code == 2


def test_plain_directive_lines_are_no_part_of_the_reply(run, tmp_path):
    (tmp_path / "d.txt").write_text("phraselint-disable-next-line coaching\nSorry! Reinstall the app. Thanks.\n")
    doc = json.loads(run("check", "d.txt", "--format", "json").stdout)
    assert not [r for r in doc["results"] if r["scope"] == "reply"]
    (tmp_path / "e.txt").write_text("phraselint-disable-next-line burden\nSorry! Reinstall the app.\n")
    doc = json.loads(run("check", "e.txt", "--format", "json").stdout)
    assert all("phraselint-disable" not in r["match"] for r in doc["results"])


def test_suppressed_checks_leave_the_score_and_coaching_score_exempts(run, tmp_path):
    (tmp_path / "all.md").write_text("<!-- phraselint-disable coaching -->\nReinstall the app. Thanks.\n")
    assert json.loads(run("check", "all.md", "--format", "json").stdout)["replies"] == []
    (tmp_path / "gate.txt").write_text("phraselint-disable coaching.score\nReinstall the app. Thanks.\n")
    result = run("score", "gate.txt", "--min-score", "90", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["summary"]["below"] == 0
    assert run("score", "gate.txt", "--min-score", "90", "--select", "coaching.empathy").exit_code == 0


def test_a_text_read_in_parts_is_not_scored(run, tmp_path):
    from phraselint.readers.plain import PART_CHARS

    big = "Hi Dana,\n\n" + ("We will fix it today. " * 40 + "\n\n") * (PART_CHARS // 800 + 10)
    (tmp_path / "big.txt").write_text(big, encoding="utf-8")
    result = run("check", "big.txt", "--format", "json", "--fail-on", "never")
    doc = json.loads(result.stdout)
    assert doc["replies"] == [] and not [r for r in doc["results"] if r["scope"] == "reply"]
    assert result.stderr.count("not scored") == 1


def test_baseline_keeps_reply_findings_across_small_edits(run, tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("Sorry! Reinstall the app. Thanks.\n")
    assert run("check", "d.txt", "--baseline", "b.json", "--write-baseline").exit_code == 0
    draft.write_text("Sorry!! Please reinstall the app. Thanks a lot.\n")
    doc = json.loads(run("check", "d.txt", "--baseline", "b.json", "--format", "json").stdout)
    assert not [r for r in doc["results"] if r["scope"] == "reply"]


def test_only_coaching_score_selected_still_gates(run, tmp_path):
    (tmp_path / "d.txt").write_text("Reinstall the app. Thanks.\n")
    result = run("check", "d.txt", "--format", "json", "--select", "coaching.score", "--min-score", "90")
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and [r["rule"] for r in doc["results"]] == ["coaching.score"]
    assert doc["replies"][0]["checks"] == {}  # the checks behind the score are not reported
    assert run("score", "d.txt", "--select", "coaching.score", "--min-score", "90").exit_code == 1


def test_config_severity_of_coaching_score_wins_over_fail_on(run, tmp_path):
    (tmp_path / "d.txt").write_text("Reinstall the app. Thanks.\n")
    (tmp_path / "phraselint.yaml").write_text("min-score: 90\nseverity:\n  coaching.score: suggestion\n")
    doc = json.loads(run("check", "d.txt", "--format", "json").stdout)
    (f,) = [r for r in doc["results"] if r["rule"] == "coaching.score"]
    assert f["severity"] == "suggestion"


def test_a_long_run_without_sentence_ends_is_read_near_each_match(nlp):
    from phraselint import context

    doc = nlp.make_doc("Sorry " * 1000)
    site = context.Site(doc, 500, 501)
    assert 500 - site.sent_start <= context.MAX_SENTENCE_TOKENS
    assert site.sent_end - 501 <= context.MAX_SENTENCE_TOKENS


# ---------------------------------------------------------------- applicability, from the customer's message


@pytest.mark.parametrize(("incoming", "reply", "check", "verdict"), [
    # A thank-you or a plain question owes no empathy; a complaint does.
    ("Thanks so much, you guys are great!", "Glad we could help. Have a great day!", "empathy", None),
    ("Can I pre-order the deluxe edition?", "Yes, you can pre-order it in the store.", "empathy", None),
    ("My parcel still hasn't arrived and nobody answers.", "Please DM us your order number.", "empathy", False),
    ("My parcel still hasn't arrived and nobody answers.", "I'm sorry your parcel is late. Please DM us your order "
     "number.", "empathy", True),
    # With the problem known, ownership is what the agent side does: a how-to alone hands the
    # work back to the customer.
    ("Why is my app not syncing?", "Please sign out and back in; that resets the sync.", "ownership", False),
    ("Why is my app not syncing?", "I've reset the sync on your account; please sign out and back in.",
     "ownership", True),
    ("My app still crashes.", "Thanks for letting us know.", "ownership", False),
    # Follow-up is owed when the reply hands the problem on without a way back.
    ("The outage is still on in my street.", "I'll pass this on to the network team.", "follow_up", False),
    ("The outage is still on in my street.", "I'll pass this on to the network team and let you know by 5pm.",
     "follow_up", True),
    ("Do you ship to Canada?", "Yes, we ship to Canada in 5 to 7 days.", "follow_up", None),  # nothing left open
    ("My refund never came.", "Sorry, refunds after 30 days aren't possible.", "follow_up", None),  # a final answer
])
def test_checks_apply_as_the_customers_message_says(incoming, reply, check, verdict, coach):
    score, _ = coach(reply, incoming=incoming)
    assert score.checks[f"coaching.{check}"] is verdict


def test_i_apologize_for_that_is_the_form_the_guidance_asks_for(coach):
    """The safe fix of "Sorry 'bout that" is not flagged by the apology check."""
    score, findings = coach("I apologize for that! The replacement ships today.")
    assert score.checks["coaching.apology_form"] is True
    assert not any(f.rule == "coaching.apology_form" for f in findings)


# ---------------------------------------------------------------- one finding per "no"


def test_a_refusal_without_an_alternative_is_reported_once(coach):
    score, findings = coach("Hi Sam, we can't refund it.")
    refusals = [f for f in findings if f.rule.startswith("refusal.")]
    assert len(refusals) == 1 and "no alternative" in refusals[0].message
    assert not any(f.rule == "coaching.alternative" for f in findings)
    assert score.checks["coaching.alternative"] is False  # it still costs its points


def test_a_refusal_answered_by_an_alternative_is_only_a_suggestion(coach):
    score, findings = coach("Hi Sam, we can't refund it, but I can offer store credit today.")
    refusals = [f for f in findings if f.rule.startswith("refusal.")]
    assert [(f.severity, "an alternative follows" in f.message) for f in refusals] == [("suggestion", True)]
    assert not any(f.rule == "coaching.alternative" for f in findings)
    assert score.checks["coaching.alternative"] is True


def test_answered_refusals_can_be_left_out(tmp_path):
    """The alternative check's `answered: off` drops a refusal an alternative answers."""
    pack = tmp_path / "team.yaml"
    pack.write_text(yaml.safe_dump({"rules": [{
        "id": "team.alternative", "severity": "warning", "check": "alternative", "weight": 15,
        "message": "A no without an alternative.", "why": "The guidance.", "options": {"answered": "off"}}]}))
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi Sam, we can't refund it, but I can offer store credit today.\n")
    out = CliRunner().invoke(cli, ["check", str(reply), "--rules", str(pack), "--ignore", "coaching.alternative",
                                   "--format", "json"])
    assert out.exit_code in (0, 1), out.output
    assert not [r for r in json.loads(out.output)["results"] if r["rule"].startswith("refusal.")]


def test_a_suppressed_refusal_leaves_no_coaching_about_it(coach):
    score, findings = coach("Hi Sam,\nphraselint-disable-next-line refusal\nwe can't refund it.\n")
    assert not any(f.rule.startswith("refusal.") or f.rule == "coaching.alternative" for f in findings)
    assert score.checks["coaching.alternative"] is None



def test_text_output_puts_coaching_in_one_block_after_the_phrase_findings(run, tmp_path):
    (tmp_path / "d.txt").write_text("Hi there, we can't refund it. Sorry for the wait.\n", encoding="utf-8")
    (tmp_path / "in.txt").write_text("My refund still hasn't arrived!\n", encoding="utf-8")
    out = run("check", "d.txt", "--incoming", "in.txt").stdout.splitlines()
    block = next(i for i, line in enumerate(out) if line.strip().startswith("coaching"))
    assert "/100" in out[block]
    assert all("coaching." not in line for line in out[:block])  # phrase findings first
    checks = [line for line in out[block + 1:] if line.strip().startswith("·")]
    assert any("empathy" in line and "the customer's message reports a problem" in line for line in checks)
    assert not any("→" in line for line in out[block:])  # no canned rewrites in the block


def test_min_severity_hides_findings_but_keeps_the_scores(run, tmp_path):
    (tmp_path / "d.txt").write_text("Hi there, we can't refund it. Sorry for the wait.\n", encoding="utf-8")
    doc = json.loads(run("check", "d.txt", "--format", "json", "--min-severity", "warning").stdout)
    assert doc["results"] and all(r["severity"] in ("warning", "error") for r in doc["results"])
    assert doc["replies"] and doc["replies"][0]["checks"]["coaching.empathy"] is False


@pytest.mark.parametrize(("reply", "rewrite"), [
    ("Hi Sam, sorry for the late delivery! Your parcel ships today.", "I apologize for the late delivery."),
    ("Hi Sam, apologies for the wait. The link is fixed.", "I apologize for the wait."),
    ("Hi Sam, sorry for any inconvenience. The link is fixed.", None),  # names nothing: the instruction stands
])
def test_apology_suggestion_is_built_from_the_reply(reply, rewrite, coach):
    _, findings = coach(reply)
    (finding,) = [f for f in findings if f.rule == "coaching.apology_form"]
    if rewrite:
        assert finding.suggestions == [rewrite]
    else:
        assert len(finding.suggestions) == 1 and "Name what went wrong" in finding.suggestions[0]


def test_coaching_suggestions_name_no_unrelated_situation(coach):
    """A reply about a password reset is not offered a sentence about a refund."""
    _, findings = coach("Sorry! Reset your password from the login page.")
    for f in findings:
        if f.scope == "reply":
            assert not any("refund" in s.lower() or "manager" in s.lower() for s in f.suggestions), f


@pytest.mark.parametrize("message, applies, evidence", [
    ("My parcel still hasn't arrived.", True, "hasn't arrived"),
    ("The app won't let me log in", True, "won't let"),
    ("This is ridiculous, thanks for nothing", True, "ridiculous"),
    ("Thank you for listening and helping when I had an issue today. Great service.", False, ""),
    ("It's working now, the problem is resolved!", False, ""),
    ("Can I still pre-order the game on the store?", False, ""),
    ("Why was there a half gig update?", False, ""),
    ("No problem at all, just wondering when you open.", False, ""),
    # Thanks close what came before them and what they thank for, not a complaint after them,
    # and a sign-off "thanks" closes nothing.
    ("Thanks for the reply, but it's still broken.", True, "still broken"),
    ("no its still broken. i deleted it and will wait until its fixed. thanks", True, "still broken"),
    ("My order was late, but thanks for sorting it so fast!", False, ""),
    ("Thank you nike", False, ""),
    ("ok thx", False, ""),
    # A negated failure verb a few words on: "none of it worked"
    ("Yes, none of it worked.", True, "none of it worked"),
    # A letter drawn out for feeling is read once; a sad face or an oath is a feeling.
    ("Imported the new files and it's still sllllloooooow", True, "slow"),
    ("The feature I used every day is gone now :(", True, ":("),
    ("The feature I used every day is gone.", True, "gone"),
    ("you guys suck", True, "suck"),
])
def test_the_customers_message_decides_whether_empathy_applies(coach, message, applies, evidence):
    score, findings = coach("Your tracking number is 48213. It arrives on Monday.", incoming=message)
    assert score.checks["coaching.empathy"] is (False if applies else None)
    reasons = [f.reason for f in findings if f.rule == "coaching.empathy"]
    if applies:
        assert reasons and f'("{evidence}")' in reasons[0]
    else:
        assert not reasons


def test_the_evidence_quoted_from_a_message_is_printable_and_short(coach):
    message = "My order never \x1b]0;pwned\x07arrived and the tracking page is " + "broken " * 20
    _, findings = coach("Your tracking number is 48213.", incoming=message)
    (reason,) = [f.reason for f in findings if f.rule == "coaching.empathy"]
    assert "\x1b" not in reason and "\x07" not in reason
    assert len(reason) < 120


@pytest.mark.parametrize("reply", [
    "Your ticket has been routed to our specialist team, who will call you tomorrow.",
    "Your bag is being traced and we'll contact you once it is found.",
    "Our network team are working on the outage now.",
    "We can see an outage in your area and our engineers are on it.",
    "Sorry, the hem was missed. It's done now and ready to collect.",
    "The 14:30 was cancelled for weather, so you've been transferred to the 20:15 sailing.",
    "Our engineer found a worn roller; the roller was replaced and the lift returned to service.",
    "Your claim is with our assessors and we aim to respond within 10 working days.",
    "Message us your booking ref and we'll see what we can do about a return visit.",
])
def test_the_company_acting_for_the_customer_is_ownership(coach, reply):
    score, _ = coach(reply, incoming="My bag never arrived and nobody has replied!")
    assert score.checks["coaching.ownership"] is True


@pytest.mark.parametrize("reply, owed", [
    # A maintainer's answer that names no problem of the project's: nothing to own.
    ("Set `BASE_URL` to the public URL; the OAuth callback is built from it. Closing.", None),
    ("We won't add a config generator: see CONTRIBUTING.md, it's out of scope for this repo.", None),
    # The same reader, with a bug of the project's named and nothing said about it: owed.
    ("Thanks, this is a bug in the parser. See the changelog for the last release.", False),
])
def test_a_developers_answer_naming_no_problem_owes_no_ownership(coach, reply, owed):
    score, _ = coach(reply)
    assert score.checks["coaching.ownership"] is owed


def test_a_question_answered_owes_no_ownership(coach):
    score, _ = coach("Yes, you can pre-order it on the console store. Anything else?",
                     incoming="Can I still pre-order the game?")
    assert score.checks["coaching.ownership"] is None


@pytest.mark.parametrize("pointer, holds", [
    ("Call us.", False),
    ("Please call us on 0800 123 456.", True),
    ("Call our billing team on 0800 123 456 and they can set up a plan.", True),
])
def test_a_curt_pointer_is_no_alternative(coach, pointer, holds):
    score, _ = coach(f"We can't discuss account details here. {pointer}")
    assert score.checks["coaching.alternative"] is holds


def test_without_a_message_the_reason_quotes_the_trouble_the_reply_names(coach):
    _, findings = coach("Your parcel arrived damaged. Send us a photo.")
    reasons = [f.reason for f in findings if f.rule == "coaching.empathy"]
    assert reasons == ['the reply names the customer\'s trouble ("damaged")']


def test_a_sentence_apology_pointing_back_acknowledges_but_names_nothing(coach):
    # "I'm so sorry about this!" after a complaint acknowledges it (empathy holds), but names
    # nothing the customer would recognize (the apology's form is still coached).
    score, findings = coach("Hello Sarah! I'm so sorry about this! Did you manage to get online in the end?",
                            incoming="Your website just says it's busy so it won't load!!!")
    assert score.checks["coaching.empathy"] is True
    assert score.checks["coaching.apology_form"] is False
    (finding,) = [f for f in findings if f.rule == "coaching.apology_form"]
    assert "points back" in finding.message


@pytest.mark.parametrize("reply", [
    "Great news: I've set up the freeze from the 1st, so you won't be charged while you're off.",
    "Welcome! Not sure why a check is failing? Ask in the PR and we'll help.",
    "The old links were not broken by the move, so your bookmarks still work.",
])
def test_a_problem_word_negated_or_asked_names_no_problem(coach, reply):
    score, _ = coach(reply)
    assert score.checks["coaching.empathy"] is None


@pytest.mark.parametrize("reply, owned", [
    # A general offer of help, on a reported problem, owns it for the coaches (25 of 28 agreed
    # verdicts on the twcs test half) ...
    ("We'd love to help. Can you tell us a bit more about what's happening?", True),
    ("I'd be more than happy to assist you. Please send me a DM.", True),
    ("Please DM us your order number, in order for us to further assist you.", True),
    # ... and so do an offer of something, and the company's act said in the passive.
    ("We'd be happy to send you a replacement today.", True),
    ("We've been in touch by DM.", True),
    ("I've fed this back to the store team.", True),
    ("Our team aims to reply within 24 hours.", True),
    ("A refund for the missing items has already been issued to your account.", True),
    ("Any remaining balance will be returned to your linked bank account.", True),
    ("Your feedback has been noted and shared with the store manager.", True),
])
def test_ownership_needs_an_act_or_an_offer_of_help(coach, reply, owned):
    score, _ = coach(reply, incoming="My order arrived damaged and I'm really upset.")
    assert score.checks["coaching.ownership"] is owned


def test_a_general_offer_of_help_is_no_alternative_to_a_no(coach):
    score, _ = coach("We can't refund it. We'd love to help.", incoming="It arrived broken, I want a refund!")
    assert score.checks["coaching.alternative"] is False
    assert score.checks["coaching.ownership"] is True


@pytest.mark.parametrize("reply, acknowledged", [
    ("We understand this may be frustrating. Payments are reviewed for security.", False),
    ("I understand why you might be upset. Payments are reviewed for security.", True),
])
def test_a_hedge_said_of_a_thing_doubts_the_empathy(coach, reply, acknowledged):
    score, _ = coach(reply, incoming="My refund never came!")
    assert score.checks["coaching.empathy"] is acknowledged
