"""Issue 24: rule families over lexicons, the corpus split once into a development set and a
held-out set, and what the review says in each jurisdiction."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

from planner.compliance import LANGUAGES, RulePackError, lint_campaign, lint_text, load_rules
from planner.domain.models import Campaign, Channel, Claim, MessageVariant


def _benchmark():
    """benchmarks/compliance.py by its path: the suite runs against the installed planner,
    where the repository's benchmarks folder is not a package on the path."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "compliance.py"
    spec = importlib.util.spec_from_file_location("compliance_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


_bench = _benchmark()
EXPECTED, figures, load_corpus, run = (
    _bench.EXPECTED,
    _bench.figures,
    _bench.load_corpus,
    _bench.run,
)
RULES = load_rules()
CORPUS = load_corpus()
DEV = [c for c in CORPUS if c.set == "dev"]
HELD_OUT = [c for c in CORPUS if c.set == "held-out"]


def found(text: str, *jurisdictions: str, channels=()) -> list[tuple[str, str, str]]:
    report = lint_text(
        text, RULES, jurisdictions=jurisdictions, channels=[Channel(c) for c in channels]
    )
    return [(f.rule.id, f.severity.value, f.matched) for f in report.findings]


# The corpus ----------------------------------------------------------------------------------


def test_the_corpus_is_large_trilingual_and_half_quiet():
    assert len(CORPUS) >= 400
    for lang in LANGUAGES:
        assert sum(1 for c in CORPUS if c.lang == lang) >= 100
    quiet = sum(1 for c in CORPUS if c.quiet)
    assert 0.4 <= quiet / len(CORPUS) <= 0.6
    assert len({c.id for c in CORPUS}) == len(CORPUS)
    for case in CORPUS:
        assert set(case.expect) <= set(EXPECTED), case.id


def test_the_held_out_split_never_changes():
    """The held-out set was split once, by a fixed seed; its sentences and labels are pinned
    so that nobody tunes the rules by editing it or reshuffling the split."""
    blob = "\n".join(
        f"{c.id}|{c.text}|{','.join(c.jurisdictions)}|{','.join(c.channels)}|{c.offering}|"
        f"{','.join(c.expect)}"
        for c in sorted(HELD_OUT, key=lambda c: c.id)
    )
    assert len(HELD_OUT) == 224
    digest = hashlib.sha256(blob.encode()).hexdigest()
    assert digest == "590d5ded439913c09eb9dc3a943a4ce7efcbc2c40294ee3b5e938c70fe875014"


# Development sentences the rules still miss, each with why; strict: a fix must remove it here.
KNOWN_MISSES = {
    # The twenty-fifth round (en26, mix28: short form as typed on phones: texts, search-ad
    # headlines, captions, with shorthand, emojis and hashtags).
    "en26-016": "waived copays for Medicaid families: raised as a gift to a beneficiary (as most"
    " writers label a waived copay), where this writer labelled it cash",
    "mix28-058": "'Con Medicare no pagas copago ... nosotros lo cubrimos': raised as a gift to a"
    " beneficiary (as most writers label a waived copay), where this writer labelled it cash",
    "mix28-005": "'x chi come te convive con l'artrosi' in an SMS to the practice's own patients:"
    " the platforms' personal-attribute policy is for ads",
    # The twenty-fourth round (en25, mix27: the implied end of the families fresh rounds find
    # hardest: a symptom for the condition, a euphemism for stopping, a P.S., a hashtag).
    "en25-033": "'A cure for hepatitis C is now possible for most people with 8 to 12 weeks of"
    " antiviral treatment': a true cure claim, still blocked as an absolute one",
    "en25-034": "hearing loss implied by 'Turning the telly up again while everyone else winces?',"
    " with no word addressing the viewer",
    "en25-046": "'Statins: worth the muscle aches? ... with our plant-based plan instead': the"
    " treatment and the remedy 17 words apart",
    "en25-082": "an email to the practice's own patients ('We know the bad days with your joints'):"
    " the platforms' personal-attribute policy is for ads, not email",
    "mix27-047": "'Sappiamo che con la pressione alta anche le scale sembrano più ripide' in an"
    " email: the platforms' personal-attribute policy is for ads, not email",
    "mix27-066": "'Per chi conta i gradini ... perché le ginocchia non collaborano più': the"
    " audience and the symptom 7 words apart",
    "mix27-007": "body shaming for a cosmetic treatment in Italy is blocked as body image; the"
    " promotion rule, which reads discounts, offers and urgency, stays quiet",
    "mix27-012": "a before-and-after story in Italy is blocked as body image; the promotion rule,"
    " which reads discounts, offers and urgency, stays quiet",
    "mix27-057": "'Lui ti guarda ancora come il primo giorno?' is blocked as body image; the"
    " promotion rule, which reads discounts, offers and urgency, stays quiet",
    "mix27-072": "a results notice followed by 'il check-up ... pensato proprio per te' is blocked"
    " as a care-like opener; the promotion rule reads no discount, offer or urgency in it",
    "mix27-085": "'Aggiornamento della tua pratica sanitaria' then whitening is blocked as a"
    " care-like opener; the promotion rule reads no discount, offer or urgency in it",
    # The twenty-third round (en24, mix26: the voice of patients and staff, a testimonial, a
    # receptionist's text, a nurse's post, a paid influencer, an FAQ answer).
    "en24-006": "a Fitbit for every Medicare patient who comes in: 'Medicare covers your annual"
    " wellness visit' in the same message keeps the gift rule quiet, as it must for a device"
    " the plan pays for",
    "mix26-017": "'ti tornano gli occhi che prudono?' in an SMS to the practice's own patients:"
    " asking about a symptom is the ad platforms' rule, which SMS is not under",
    "en24-022": "'Losing even 5% of your body weight can help lower blood pressure. Talk to your"
    " GP': public-health advice read as an efficacy claim and a weight-loss figure",
    # The twenty-second round (es8, it8: Spanish for US patients and Italian, every channel
    # from a church flyer to a WhatsApp broadcast).
    "es8-041": "a copay forgiven to Medicare patients is raised as a waived charge (a review), as"
    " six development sentences label it, where this writer asked for the cash rule",
    "es8-051": "'una inyección ... que ayuda a controlar el apetito' is raised as an efficacy claim"
    " needing evidence (a block) beside the reviews the writer asked for (mix12-064 is the same)",
    "it8-029": "a hip replacement an orthopaedist proposed, 'in molti casi si può evitare': surgery"
    " is not among the treatments the review protects (en9-047 is the same)",
    # The twenty-first round (en23, mix25: every family in a practice's own institutional copy,
    # a service page, a leaflet, a newsletter, a search ad, the problem mid-sentence).
    "en23-021": "'Knee replacement ... relieves grinding joint pain' without its evidence: blocked"
    " in the US as an efficacy claim, beside the shared-decision review the writer asked for"
    " (mix24-018 is the same)",
    "en23-053": "'If stiff, swollen knuckles have started making the morning coffee mug feel"
    " heavy': a condition told by its symptoms, with no word for the reader until 'see you'",
    "en23-073": "a disc operation already booked, talked out of: surgery is not among the"
    " treatments the review protects (en9-047 is the same)",
    "mix25-008": "'dire addio alla dentiera' is read as a claim of effect (a block in Italy) beside"
    " the shared-decision review the writer asked for (mix24-018 is the same kind)",
    "mix25-023": "'Un sorriso ingiallito racconta più anni di quelli che hai' is raised as playing"
    " on the body; that it is also suggestive selling, with no offer, price or urgency word, is"
    " not",
    "mix25-054": "'elimina la grasa localizada' is raised as an efficacy claim needing evidence (a"
    " block) beside the shared-decision review the writer asked for (mix21-057 is the same kind)",
    # The twentieth round (en22, mix24: the six weakest families as a physio's WhatsApp, an
    # optician's loyalty email, an IV lounge's caption, a laboratorio's SMS put them).
    "en22-002": "'Tired of your husband glancing at younger women?' over lip filler: the worry is"
    " about a partner, not a part of the body, and no ideal is named",
    "en22-070": "Botox for chronic migraine named on a UK page, with its side effects: a"
    " prescription-only medicine advertised to the public (en20-060 is the same)",
    "mix24-018": "'le infiltrazioni ... riducono il dolore' without its evidence: blocked in Italy"
    " as an efficacy claim, beside the shared-decision review the writer asked for",
    "mix24-020": "'accelerano la guarigione della tendinite': blocked as a cure claim in Italy; the"
    " shared-decision review is not raised beside it ('nessun farmaco, nessun bisturi')",
    "mix24-043": "a free hearing check 'this month' in Italy: a free service is a promotion there"
    " (en20-083 is the same)",
    "mix24-045": "'Posti limitati' under a free information evening in Italy: urgency words are a"
    " promotion there, even for an honest talk",
    "mix24-059": "'calman la inflamación rápido' for cortisone injections in the US: blocked as an"
    " efficacy claim needing evidence; the shared-decision review is not raised beside it",
    # The nineteenth round (en21, mix23: the six weakest families as a chiropractor's caption, a
    # med spa's text, a surgery's newsletter, a pharmacy's broadcast or a radio spot put them).
    "en21-009": "a free diabetes class in the US: 'free' is reviewed, as the FTC's guide on free"
    " offers asks (en18-007 is the same)",
    "en21-034": "'Do your little ones really need every jab?' then 'skip a few': a FAQ asks the"
    " same question before answering it, and 'a few' names no treatment (es7-017 is the same)",
    "en21-064": "'Off Blood Pressure Pills For Good' as an ad's headline: 'off' before a"
    " treatment is also '30% off flu shots', so it is not read as stopping one",
    "en21-080": "a free implant consultation in a US search ad: reviewed as a free offer"
    " (en18-007 is the same)",
    "mix23-006": "'Ernia del disco?' opening a social post: asking the reader about a condition is"
    " a block under the platforms' rules, which the writer did not label",
    "mix23-020": "'otturazione in composito da 90 €': a price 'from' is reviewed in Italy"
    " (mix22-038 is the same)",
    "mix23-062": "'¿Várices?' opening a display ad: a condition question, blocked on the"
    " platforms (mix23-006 is the same)",
    "mix23-067": "free nutrition talks in the US: reviewed as a free offer (en18-007 is the same)",
    "mix23-072": "'¿Para qué hacerse el Papanicolaou?': a screening FAQ asks the same question"
    " before answering it (es7-017 is the same)",
    # The eighteenth round (en20, mix22: every family, in the indirect turns a marketer uses,
    # questions, first-person stories, numbers in words; half quiet).
    "en20-009": "'wear shorts without worrying about your knees' over knee liposuction: worry"
    " about a body part is also how a physio speaks of knee pain, so it is not read as shaming",
    "en20-060": "a UK page for a semaglutide service, with its side effects and alternatives:"
    " naming a prescription-only medicine to the public is blocked in the UK, as the ASA rules",
    "en20-061": "a US Botox price list: reviewed for the risk information a prescription"
    " medicine's advertising needs, which a price list does not give",
    "en20-071": "'Acne affecting your confidence?' in a social ad: the platforms' rule on"
    " asserting a personal attribute is a block, however kindly the rest is written",
    "en20-081": "finasteride named on a UK hair-loss clinic's page: a prescription-only medicine"
    " advertised to the public, blocked (en20-060 is the same)",
    "en20-083": "a free blood pressure check at an open day in Italy: a free service is a"
    " promotion under Italy's 2018 law (mix21-034 is the same kind)",
    "mix22-038": "'otturazioni da 90 €' in an Italian price list: a price 'from' is reviewed, as"
    " Italy asks for the total price",
    "mix22-088": "'weight-loss injections' in a UK email, with honest risks: the ASA treats them as"
    " a prescription-only medicine advertised to the public (en20-060 is the same)",
    # The seventeenth round (en19, mix21: the same six families as a hospital's formal copy, a
    # paid influencer, a pharmacy's poster or a radio spot would put them; half quiet).
    "en19-037": "Botox for jaw clenching in a UK email: a prescription-only medicine advertised"
    " to the public, blocked, which the writer did not label",
    "en19-054": "a complimentary patch test in a US ad: 'complimentary' is reviewed as a free"
    " offer, as the FTC's guide asks (en18-007 is the same)",
    "mix21-034": "a 10% discount for students and the over-70s, in Italy: blocked as a price"
    " promotion (it7-041 is the same)",
    "mix21-057": "'la cirugía de manga gástrica le ayuda a controlar el apetito' is raised as an"
    " efficacy claim needing evidence (mix12-064 is the same)",
    # The sixteenth round (en18, mix20: the six families the held-out set still misses, as
    # small practices post and send them, half quiet), after the rules were broadened from it.
    "en18-007": "a free hearing screening in a search ad: 'free' is reviewed in the US, as the"
    " FTC's guide on free offers asks (en17-019 is the same)",
    "en18-015": "a free LASIK evaluation after honest risks: reviewed as a free offer, as en18-007",
    "en18-056": "'Doctor's orders: your check-up is overdue' over a $39 special, on social media:"
    " a price or booking words after a care-like opener cannot count without flagging real"
    " reminders ('Your screening is due ... Book online')",
    "en18-085": "'zero downtime' for Botox is blocked as an absolute claim in the US, which the"
    " writer did not label",
    "mix20-027": "Botox named in an Italian search ad: a prescription-only medicine advertised to"
    " the public, blocked in the EU, which the writer did not label",
    "mix20-050": "'sorriso da copertina' is read as an ideal-body promise (a block in Italy), which"
    " the writer did not label",
    "mix20-052": "botulinum toxin named with its side effects, in Italy: blocked as a"
    " prescription-only medicine named to the public (mix18-030 is the same)",
    # The fifteenth round (en17, mix19: the same six families, written as a dentist's page, a
    # pharmacy's text, a med-spa's post or a patient's review would put them; half quiet),
    # after the rules were broadened from it.
    "en17-011": "'a familiar voice helps us fine-tune your hearing aids' read as a device's "
    "benefit without its risks",
    "en17-019": "'Free Hearing Screening' in a search ad: a free offer, reviewed in the US",
    "en17-030": "'a pain-free swing' after a shoulder replacement is an absolute claim (a "
    "block in the UK) beside the shared decision its writer expected",
    "en17-051": "'not just the best ones' read as a superlative",
    "en17-060": "'bring a friend for company to our free talk' read as a referral reward",
    "mix19-067": "'alivian el dolor de ciática' read as an outcome claim (a block) beside the "
    "shared decision its writer expected",
    # The fourteenth round (en16, mix18: the six families the held-out set still misses, on
    # every channel, half quiet), after the rules were broadened from it.
    "en16-033": "a vein treatment 'done in your lunch hour' is held a trivialised procedure in "
    "the UK (a block) besides the shared decision its writer expected",
    "en16-072": "'15% off chemical peels' under a subject line of offers: a price promotion "
    "of a cosmetic procedure, which the UK rule blocks",
    "mix18-020": "botulinum toxin in a price list: Italy bans naming a prescription-only "
    "medicine to the public, which the writer took for information",
    "mix18-030": "botulinum toxin's risks told plainly: the ban on naming a prescription-only "
    "medicine to the public cannot tell information from advertising",
    # The thirteenth round (en15, mix16, mix17: referral rewards, shared decisions, outcome
    # claims and the families the held-out set still misses, with honest words about unproven
    # treatments among the quiet ones), after the rules were broadened from it.
    "mix16-026": "a price list's 'a partire da 60 €': Italy asks for the total price, which "
    "the writer took for plain information",
    "mix16-028": "a staff club's 10% discount until 31 December: Italy's rule holds every "
    "discount promotional, so it is blocked",
    "mix17-005": "'Elimina hasta 4 pulgadas de cintura en seis semanas' is also read as an "
    "unproven efficacy claim (a block) beside the weight figure its writer labelled",
    "mix17-047": "'Cataract surgery = seeing your grandkids' faces' read by the ads' rule as "
    "addressing the viewer's eyesight",
    "en15-045": "a trial's honest 'may not help' is read as a benefit without its risks, and "
    "its visits 'at no cost' as a free offer",
    "mix17-138": "'Il prima e dopo che conta davvero?' is read as a before-and-after promise",
    # The twelfth round (en14, it7, es7: weighted to weight-loss figures, body image,
    # care-like openers, treatment discouraged and unproven treatments; half quiet), after
    # the rules were broadened from it.
    "it7-036": "finasteride named as an alternative in a balanced visit: the ban on naming a "
    "prescription-only medicine to the public cannot tell advice from advertising",
    "it7-041": "a staff club's 10% discount written as plain information: Italy's rule holds "
    "every discount promotional (L. 145/2018 c. 525), so it is blocked",
    "it7-042": "veneers 'perfect smile, painless' are blocked as suggestive in Italy, which "
    "the writer did not expect; the missing risks are not raised beside a block",
    # The eleventh round (en13, mix15: weight-loss figures, body image, care-like openers,
    # treatment discouraged, shared decisions; half quiet), after the rules were broadened
    # from it.
    "mix15-022": "'per ridurre il dolore': the purpose of hyaluronic injections read as an "
    "efficacy claim (EU-EVIDENCE's block), their benefit not raised for a shared decision",
    # The tenth round (en12, mix14: written in the original writers' style), after the rules
    # were broadened from it.
    "mix14-050": "before-and-after photos with consent and 'results vary', in Italy: "
    "IT-BEFORE-AFTER's block kept, as for mix13-048",
    # The ninth round (en11, mix13: weight figures, body image, care-like openers, stopping
    # treatment, unproven treatments), after the rules were broadened from it.
    "en11-013": "a dress-size story with 'loving every photo now': raised as a weight-loss "
    "figure; the pride in photos alone is not taken for playing on the body",
    "en11-057": "an inhaler 'in the drawer' is raised as discouraging treatment; that the "
    "course 'can get you there' is a claim with no word of efficacy",
    "en11-067": "mammograms called 'so last decade' beside a 'radiation-free' scan: raised as "
    "discouraging screening; the comparison is implied, with no comparing word",
    "en11-095": "an infusion 'still in trials' offered as a way in: the trial words that keep "
    "honest recruitment quiet keep this quiet too",
    "mix13-031": "an Amazon voucher for bringing a friend, in Italy: raised as a reward for a "
    "referral (a block); the benchmark counts a promotion only by the promotion rule",
    "mix13-048": "before-and-after photos with their caveats, in Italy: the planner keeps "
    "IT-BEFORE-AFTER's block, as the medical orders' guidance advises against them whatever "
    "the caption (the writer judged the caveats enough)",
    "mix13-088": "'la manga gástrica te ayuda a controlar la diabetes' is raised as an efficacy "
    "claim needing evidence (a block), which the writer did not label",
    # The eighth round (en10, mix12: mostly quiet, medicines, devices and trials), after the
    # rules were broadened from it.
    "mix12-022": "'da 150 euro' is a price from, which Italy asks to give in full (a review), "
    "in a price list the writer took as plain",
    "mix12-064": "'ayuda a controlar el azúcar' after a sleeve gastrectomy is read as a claim to "
    "substantiate, where the writer labelled only the missing risks (a false block)",
    # The seventh round (en9, mix11), after the rules were broadened from it.
    "en9-047": "a knee replacement a surgeon advised, talked out of: surgery is not among the "
    "treatments the review protects",
    "en9-048": "'members average 14 pounds down': an average result is also an efficacy claim "
    "to substantiate (as mix7-012 is labelled), which this writer did not label (a false block)",
    "en9-096": "'feel stronger than ever' after vitamin C in place of chemo: raised as "
    "discouraging treatment, not also as an unsupported claim",
    "mix11-014": "'un risultato immediato' from a filler is suggestive content in Italy (a block), "
    "which the writer did not label",
    # The sixth round (en8, mix10: mostly quiet, medicines and devices), after the rules were
    # broadened from it.
    "en8-014": "naloxone 'can reverse an overdose': a fact about an antidote read as an "
    "efficacy claim (a false block)",
    "en8-017": "an inhaler's benefits with its source in a sentence of their own: the source "
    "counts for its sentence only (a false block)",
    "en8-050": "antihistamines 'can relieve sneezing ... for many people', hedged but read as "
    "an efficacy claim (a false block)",
    "en8-040": "'Thinning on top?': hair loss asked without a word for the reader",
    "en8-045": "exosome therapy in a UK email with no condition named: experimental treatments "
    "are blocked in ads, or offered for a disease",
    "en8-083": "'helps clients come off their blood pressure meds': raised as discouraging "
    "treatment, not also as an unsupported claim",
    "en8-061": "a cure for migraines promised: raised once, as the absolute promise it is "
    "(the same block), where the writer labelled an unsupported claim",
    "mix10-068": "'camine sin dolor' after a knee replacement: a promise of no pain is read as "
    "an absolute, which the writer did not label (a false block)",
    # The fifth round (en7, mix9), after the rules were broadened from it.
    "en7-040": "a vaccine replaced by 'a well-fed immune system does the job': the benefit is "
    "implied, with no word of efficacy",
    "mix9-057": "a blood pressure monitor as a gift at a Medicaid health fair: raised as a "
    "beneficiary gift; 'feria de salud' keeps the free-offer review quiet",
    # The fourth round (mix8), after the rules were broadened from it.
    "mix8-003": "coinsurance and a deductible covered 'as a welcome', said in a Q and A",
    "mix8-010": "a bulleted list: a referral's half-price reward read as one for the feedback "
    "form in the bullet before (a false block)",
    "mix8-015": "'set theirs aside' for bone drugs named only as 'my osteoporosis medicine'",
    "mix8-022": "'Is your TMJ acting up again?': the question's words are not the reader lexicon's",
    "mix8-085": "ovarian rejuvenation with PRP for pregnancy: no condition named",
    "mix8-131": "'¿Se te duermen las manos en la noche?': a symptom, not a condition, asked",
    # The third round (mix7), after the rules were broadened from it.
    "mix7-019": "a child's glasses are not among the treatments the review protects",
    "mix7-066": "half the gym fee for a referral: raised as a referral reward only",
    "mix7-067": "'il peso di un'anguria': an amount of weight said as a fruit",
    "mix7-120": "omeprazole told to be replaced: 'Sustitúyalo' names it by a pronoun",
    # The second round of development sentences (en6, it6, es6), after the rules were
    # broadened from them: what phrases cannot tell.
    "es6-005": "a smartphone for MediCal patients: 'celular inteligente' is read as a gift, but "
    "'cámbiese ... y le damos un' is not",
    "es6-040": "'Muchos papás ya no las ponen': vaccines dropped by others' example",
    "it6-004": "a free session for a referral: raised as a referral reward, not as a promotion too",
    "it6-017": "credit on the treatment plan for a referral: raised as a referral reward only",
    "it6-055": "'di sua iniziativa' is read as the words that keep a treatment going",
    "it6-059": "'prima e dopo il trattamento' is also how a time is said: left to the reader",
    "en5-047": "'Statins? Your liver deserves a break ... without them': stopping told across "
    "sentences, with no stopping word",
    # Implied rather than said: no word names the condition or addresses the viewer's body.
    "en4-001": "hay fever implied by tissues and blooming cottonwoods",
    "en4-002": "anxiety implied by '3 a.m. worries'",
    "en4-062": "knee pain implied by 'knees grumbling on the stairs'",
    "es4-005": "knee pain implied by 'las rodillas ya no te dejan subir'",
    "en4-086": "before and after told as 'left, March. Right, after twelve weeks'",
    # The treatment is named long before the words that drop it.
    "en4-003": "'that little orange pill bottle just stays in the cabinet', 8 words apart",
}


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_MISSES[c.id], strict=True))
        if c.id in KNOWN_MISSES
        else c
        for c in DEV
    ],
    ids=[c.id for c in DEV],
)
def test_development_sentence(case):
    """Every development sentence raises the families it is labelled with; a quiet one raises
    nothing; nothing is blocked that has no block-level problem."""
    (outcome,) = run([case])
    said = [(r, s, m) for r, _, s, m in outcome.found]
    assert not outcome.missed, f"missed {outcome.missed}; found {said}"
    assert not outcome.false_block, f"false block: {said}"
    assert not outcome.false_review, f"false review on a quiet sentence: {said}"


def test_held_out_figures_do_not_fall():
    """The held-out set is never tuned to; its figures are what the README reports (95.5 %
    recall, no false block, 0.9 % false reviews when it was last measured) and must not get
    worse: they meet the targets (95 %, none, at most 5 %)."""
    fig = figures(run(HELD_OUT))
    assert fig.flagged >= 105 and fig.problems == 110
    assert fig.meets_targets()
    assert fig.false_blocks == 0
    assert fig.false_review_rate <= 0.01


# Lexicons ------------------------------------------------------------------------------------


def test_every_shipped_lexicon_has_its_languages_and_a_version():
    shipped = [
        lex for lex in RULES.lexicons.values() if all("data/lexicons" in f for f in lex.files)
    ]
    assert len(shipped) >= 20
    for lexicon in shipped:
        assert lexicon.version >= 1 and lexicon.title
        if lexicon.id != "payers":  # Medicare and Medicaid have no Italian names
            assert set(LANGUAGES) <= {lang for lang, terms in lexicon.terms.items() if terms}


@pytest.mark.parametrize(
    ("lexicon", "terms"),
    [
        ("conditions", ["diabetes", "emicrania", "ansiedad"]),
        ("prescription-medicines", ["Ozempic", "semaglutide", "tossina botulinica", "tirzepatida"]),
        ("incentives", ["Amazon gift card", "buono regalo", "tarjeta de regalo"]),
        ("superlatives", ["the best", "il numero 1", "el mejor"]),
        ("urgency", ["this week only", "solo per oggi", "solo hoy"]),
    ],
)
def test_a_lexicon_matches_its_terms_in_each_language(lexicon, terms):
    from planner.compliance.lexicons import compile_phrases

    pattern = compile_phrases((f"@{lexicon}",), RULES.lexicons)
    for term in terms:
        assert pattern.search(f"Text with {term} in it."), term


def test_a_users_pack_adds_terms_to_a_shipped_lexicon(tmp_path: Path):
    text = "Do you have tennis elbow? Book a physio."
    before = {r for r, _, _ in found(text, "US", channels=["social_media"])}
    assert "ADS-PERSONAL-ATTRIBUTES" not in before
    (tmp_path / "mine.toml").write_text(
        '[lexicon.conditions]\nen = ["tennis elbow"]\n', encoding="utf-8"
    )
    rules = load_rules(tmp_path)
    report = lint_text(text, rules, jurisdictions=["US"], channels=[Channel.SOCIAL_MEDIA])
    assert "ADS-PERSONAL-ATTRIBUTES" in {f.rule.id for f in report.findings}


def test_a_rule_that_names_an_unknown_lexicon_is_refused(tmp_path: Path):
    (tmp_path / "mine.toml").write_text(
        '[[rule]]\nid = "MY-RULE"\ntitle = "t"\nseverity = "review"\nwords = ["@no-such"]\n'
        'why = "w"\ncitation = "c"\nfix = "f"\n',
        encoding="utf-8",
    )
    with pytest.raises(RulePackError, match="@no-such, which is not defined"):
        load_rules(tmp_path)


# What the review says ------------------------------------------------------------------------


def test_the_same_concern_is_caught_in_every_jurisdiction_that_shares_it():
    text = "guaranteed to cure gum disease. 100% safe, the best dentists in town"
    for code in ("US", "UK", "IT"):
        results = found(text, code)
        blocks = [m for _, s, m in results if s == "block"]
        reviews = [r for r, s, _ in results if s == "review"]
        assert len(blocks) == 3, (code, results)  # guaranteed, cure, 100% safe
        assert reviews == [f"{code}-SUPERLATIVES"], (code, results)
    assert "EU-CURE" in {r for r, _, _ in found(text, "IT")}


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Stop your medication and try our detox instead.", "GEN-DISCOURAGE-TREATMENT"),
        ("No need for insulin once you follow our plan.", "GEN-DISCOURAGE-TREATMENT"),
        ("Butta l'inalatore: basta il nostro corso.", "GEN-DISCOURAGE-TREATMENT"),
        ("Medicare patients get a $25 gift card when they switch.", "US-BENEFICIARY-CASH"),
        ("Lose up to 15% of your body weight.", "GEN-WEIGHT-LOSS-FIGURE"),
    ],
)
def test_new_families_raise_their_rule(text, rule):
    assert rule in {r for r, _, _ in found(text, "US")}


def test_discouraging_treatment_is_a_block_and_keeping_it_is_quiet():
    assert ("GEN-DISCOURAGE-TREATMENT", "block", "Throw away your inhaler") in found(
        "Throw away your inhaler!", "UK"
    )
    for quiet in (
        "Do not stop taking your medication without talking to your doctor.",
        "Non interrompa la terapia senza averne parlato con il suo medico.",
        "No deje de tomar sus medicamentos sin hablar con su médico.",
    ):
        assert found(quiet, "UK") == [] and found(quiet, "IT") == [], quiet


def test_a_prescription_only_medicine_is_banned_in_the_uk_and_eu_and_reviewed_in_the_us():
    text = "Wegovy now available at our clinic."
    assert ("UK-POM-ADVERTISING", "block", "Wegovy") in found(text, "UK")
    assert ("EU-POM-ADVERTISING", "block", "Wegovy") in found(text, "IT")
    assert ("US-RX-RISK-INFO", "review", "Wegovy") in found(text, "US")
    assert found("Ask your doctor whether Wegovy is right for you.", "UK") == []


def test_a_care_like_opener_over_a_promotion_is_blocked_and_a_real_notice_is_not():
    promo = "Your test results are ready! Book a facial this week with 20% off."
    assert "US-EMAIL-SUBJECT" in {r for r, _, _ in found(promo, "US", channels=["sms"])}
    assert "UK-CARE-MIMIC" in {r for r, _, _ in found(promo, "UK", channels=["sms"])}
    notice = "Your test results are ready. Please call the surgery after 11am."
    assert found(notice, "UK", channels=["sms"]) == []


@pytest.mark.parametrize("jurisdiction", ["US", "UK", "IT"])
def test_a_real_reminder_that_asks_to_book_is_quiet_and_a_greeting_hides_no_opener(jurisdiction):
    """Booking words are what a real reminder says ('book online', 'book now'): after a
    care-like opener they are no sign of a sale. A greeting before the opener ('Buenas tardes
    Don Ernesto, le escribe Yesenia.') does not hide it."""
    for reminder in (
        "Hi Tom, this is Oak Street Dental. Your check-up is due; book online or call 555-0100.",
        "Your annual eye exam is overdue. Book now at our Main Street office.",
        "Reminder: your cleaning is due. Book today and reserve your spot.",
    ):
        assert found(reminder, jurisdiction, channels=["sms"]) == [], reminder
    greeted = (
        "Hi Sophie, it's Dee at Parkview Dental. Your test results are ready! Our new whitening"
        " menu is 20% off this week."
    )
    rules = {r for r, s, _ in found(greeted, jurisdiction, channels=["sms"]) if s == "block"}
    assert rules & {"US-EMAIL-SUBJECT", "UK-CARE-MIMIC", "EU-CARE-MIMIC"}, rules


def test_shaming_the_body_is_blocked_on_every_uk_channel_and_a_real_gallery_is_not():
    shaming = "Stop hiding those embarrassing bingo wings: our arm-toning programme helps."
    for channel in ("email", "sms", "print_mail", "website"):
        said = found(shaming, "UK", channels=[channel])
        assert ("UK-BODY-IMAGE", "block", "bingo wings") in said, channel
    # genuine before-and-after pictures may be shown in the UK, with consent
    gallery = "Before-and-after photos of patients who consented are in our gallery."
    assert found(gallery, "UK", channels=["email"]) == []
    # in ads on the platforms, and in Italy, before-and-after is still blocked
    assert "ADS-BODY-IMAGE" in {r for r, _, _ in found(gallery, "UK", channels=["social_media"])}
    assert "IT-BEFORE-AFTER" in {r for r, _, _ in found("Guarda il prima e dopo di Anna.", "IT")}


def test_a_full_stop_in_an_abbreviation_does_not_end_the_sentence():
    """A statistic about adults in the U.S. is not an ad that names the reader's condition:
    its source, a sentence before the "ends" at "EE. UU." or "U.S.", still counts."""
    for text in (
        "Según los CDC, 1 de cada 3 adultos en EE. UU. tiene prediabetes.",
        "According to the CDC, 1 in 3 U.S. adults are living with prediabetes.",
    ):
        assert found(text, "US", channels=["display_ads"]) == [], text
    said = found("Do you have prediabetes? Dr. Lee can help.", "US", channels=["display_ads"])
    assert [r for r, _, _ in said] == ["ADS-PERSONAL-ATTRIBUTES"]


def test_plain_information_stays_quiet_in_every_language():
    for text, code in [
        ("Open Monday to Friday, 8am to 6pm. A check-up costs $120 in total.", "US"),
        ("Ask your doctor whether a weight-loss medicine is right for you.", "US"),
        ("Dr Khan is a GMC-registered consultant dermatologist.", "UK"),
        ("Visita cardiologica: 120 euro, prezzo totale. Parcheggio gratuito.", "IT"),
        ("Servicios: vacunas, exámenes físicos y planificación familiar.", "US"),
    ]:
        assert found(text, code) == [], text


def test_evidence_for_one_claim_does_not_silence_another_sentence():
    """A claim with internal outcome data backs that claim; the variant's 'the best dentists
    in town' is still a superlative to review."""
    body = "98% of our implants last ten years. The best dentists in town."
    variant = MessageVariant(
        name="Implants",
        body=body,
        claims=[
            Claim(
                text="98% of our implants last ten years",
                evidence_kind="outcome_data",
                evidence_reference="Practice implant audit 2015-2025",
            )
        ],
    )
    campaign = Campaign(name="Implants", jurisdictions=["US"], messages=[variant])
    report = lint_campaign(campaign, RULES)
    rules = {(f.rule.id, f.matched) for f in report.findings}
    assert ("US-SUPERLATIVES", "The best") in rules
    assert not any(r == "US-SUBSTANTIATION" for r, _ in rules)  # the evidenced claim


def test_every_shipped_rule_and_term_compiles():
    """The shipped patterns are compiled when first used; here all of them, so that a bad one
    is found by the tests rather than by a user."""
    import re

    from planner.compliance.lexicons import as_regex

    for rule in RULES.rules:
        rule.compile()
    for lexicon in RULES.lexicons.values():
        for term in lexicon.every():
            re.compile(as_regex(term))


def test_a_bad_term_in_a_users_pack_is_refused_when_read(tmp_path: Path):
    (tmp_path / "mine.toml").write_text('[lexicon.conditions]\nen = ["(unclosed"]\n')
    with pytest.raises(RulePackError, match=r"the en term '\(unclosed' is not a valid pattern"):
        load_rules(tmp_path)


# At the command line ---------------------------------------------------------------------------


def _cli(db: Path, *args: str):
    from click.testing import CliRunner

    from planner.cli.main import main

    return CliRunner().invoke(main, ["--db", str(db), *map(str, args)])


def test_lint_text_uses_the_remembered_rules_folder(tmp_path: Path):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "mine.toml").write_text('[lexicon.conditions]\nen = ["tennis elbow"]\n')
    db = tmp_path / "p.db"
    text = ["lint", "--text", "Do you have tennis elbow?", "--channel", "social_media"]
    assert "ADS-PERSONAL-ATTRIBUTES" not in _cli(db, *text).output
    remembered = _cli(db, "rules", "--use-folder", str(folder))
    assert remembered.exit_code == 0 and f"Remembered {folder}" in remembered.output
    result = _cli(db, *text)
    assert result.exit_code == 1 and "ADS-PERSONAL-ATTRIBUTES" in result.output


def test_lint_text_without_a_jurisdiction_says_what_was_checked(tmp_path: Path):
    result = _cli(tmp_path / "p.db", "lint", "--text", "The best dentists in town.")
    assert "No jurisdiction given: only the ad-platform, social-media and general rules" in (
        result.output
    )
    assert "--jurisdiction US, IT, UK or EU" in result.output


@pytest.mark.parametrize(
    ("pack", "said"),
    [
        ('[pack]\nid = "y"\njurisdiction = "FR"\n', "its jurisdiction 'FR' is none of US, IT"),
        (
            '[[rule]]\nid = "MY-1"\ntitle = "t"\nseverity = "block"\nwords = ["x"]\n',
            "Rule 1 (MY-1) of the pack",
        ),
        (
            '[[rule]]\nid = "MY-1"\ntitle = "t"\nseverity = "critical"\nwords = ["x"]\n'
            'why = "w"\ncitation = "c"\nfix = "f"\n',
            "its severity 'critical' is none of block, review, confirm",
        ),
        (
            '[[rule]]\nid = "MY-1"\ntitle = "t"\nseverity = "block"\nwords = ["(x"]\n'
            'why = "w"\ncitation = "c"\nfix = "f"\n',
            "one of its patterns is not a valid regular expression",
        ),
    ],
)
def test_a_broken_pack_is_refused_with_what_to_change(tmp_path: Path, pack, said):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "y.toml").write_text(pack)
    result = _cli(tmp_path / "p.db", "lint", "--rules", str(folder), "--text", "x")
    assert result.exit_code == 2 and said in result.output, result.output
    if "MY-1) of the pack" in said:
        assert "it has no why, citation or fix" in result.output


def test_saying_nothing_of_value_is_given_stays_quiet():
    text = "Referral forms and counter cards for pharmacies; no gifts beyond the printed material."
    for code in ("US", "UK", "IT"):
        assert [s for _, s, _ in found(text, code)] == [], code


def test_a_treatments_benefits_without_its_risks_or_alternatives_is_a_review():
    benefits = "Knee replacement gets you back to the golf course by summer."
    assert ("GEN-SHARED-DECISION", "review") in {(r, s) for r, s, _ in found(benefits, "US")}
    balanced = (
        "Knee replacement can ease pain; like any surgery it has risks, and physiotherapy is an "
        "alternative: we talk it through with you."
    )
    assert "GEN-SHARED-DECISION" not in {r for r, _, _ in found(balanced, "US")}


def test_italian_testimonials_are_a_review_that_cites_both_readings():
    rule = RULES.get("IT-TESTIMONIALS")
    assert rule is not None and rule.severity.value == "review"
    assert "seed material 000" in rule.citation and "c. 525" in rule.citation
    assert "backed by data" in rule.why and "consent" in rule.why


def test_price_promotions_and_urgency_for_a_procedure_are_blocked_in_the_uk_and_italy():
    text = "Half-price lip fillers, this week only!"
    assert ("UK-PROCEDURE-URGENCY", "block") in {(r, s) for r, s, _ in found(text, "UK")}
    assert ("IT-PROMOTIONS", "block") in {(r, s) for r, s, _ in found(text, "IT")}
    assert not [r for r, s, _ in found(text, "US") if s == "block"]  # no US law against it


@pytest.mark.parametrize(
    ("text", "jurisdiction", "channels", "rule"),
    [
        (
            "Still relying on your inhaler? Breathe easier in our Himalayan salt room this winter.",
            "UK",
            (),
            "GEN-TREATMENT-SWAP",
        ),
        (
            "La chemio ti spaventa? Prova invece i nostri succhi depurativi e gli integratori.",
            "IT",
            (),
            "GEN-TREATMENT-SWAP",
        ),
        (
            "Reminder from the clinic: our spring skin analysis and facials are booking now.",
            "US",
            ("sms",),
            "GEN-CARE-OPENER-SALE",
        ),
        (
            "Still covering up those flabby arms in every photo? Ask about arm contouring.",
            "US",
            (),
            "GEN-BODY-FAULT",
        ),
        (
            "¿Te da vergüenza tu papada en las fotos? Consulta de estética en Miami.",
            "US",
            (),
            "GEN-BODY-FAULT",
        ),
        (
            "On average our patients' blood pressure falls by 12 mmHg within three months.",
            "US",
            (),
            "GEN-TYPICAL-RESULT",
        ),
        (
            "Tell a friend about us and you'll get priority booking all year.",
            "US",
            (),
            "GEN-REFERRAL-REWARD",
        ),
    ],
)
def test_a_shape_is_reviewed_whatever_the_words(text, jurisdiction, channels, rule):
    """The shape reviews read what a message does (a remedy beside a treatment, a care-like
    opener over a sale, a fault found with the body, an average in figures, something given for
    a referral), not one phrasing of it; they ask for a review, never block on their own."""
    raised = {(r, s) for r, s, _ in found(text, jurisdiction, channels=channels)}
    assert (rule, "review") in raised, raised


@pytest.mark.parametrize(
    ("text", "jurisdiction", "channels"),
    [
        (
            "Thermal imaging is not a substitute for mammograms: keep your screening invitations.",
            "UK",
            (),
        ),
        (
            "Bring a list of your medicines to the visit, with any vitamins or herbal remedies.",
            "US",
            (),
        ),
        (
            "Chieda al suo medico se il vaccino antinfluenzale fa per lei, se prende integratori.",
            "IT",
            (),
        ),
        (
            "Reminder from the clinic: your appointment is on Tuesday at 10. Reply C to confirm.",
            "US",
            ("sms",),
        ),
        ("Our average wait for a first appointment is 12 days, down 30% since spring.", "US", ()),
        (
            "Thank you for referring your patient to us. We'll send our assessment within a week.",
            "US",
            (),
        ),
        (
            "Your screening is due. A short visit, booked around your week. Book online.",
            "US",
            ("website",),
        ),
        (
            "Our pharmacy offers flu vaccines, blood pressure checks and a range of herbal teas.",
            "UK",
            (),
        ),
        ("Farmacia: vacunas contra la gripe, medición de presión y productos naturales.", "US", ()),
        ("Crooked teeth can be straightened with clear aligners: ask at your check-up.", "US", ()),
        ("Whitening can lighten stained teeth; results vary and sensitivity is common.", "UK", ()),
        ("Se ci segnala un paziente, riceverà la nostra relazione entro una settimana.", "IT", ()),
    ],
)
def test_the_shape_reviews_keep_plain_information_quiet(text, jurisdiction, channels):
    assert found(text, jurisdiction, channels=channels) == []


def test_a_risk_denied_is_not_the_balance_a_treatment_needs():
    for text in (
        "Laser eye surgery is risk-free and gets you back to sport in a week.",
        "Le faccette sono senza rischi e ti restituiscono un sorriso nuovo.",
    ):
        assert "GEN-SHARED-DECISION" in {r for r, _, _ in found(text, "US")}, text


def test_a_review_of_a_concern_a_block_raises_is_left_out():
    """One concern, one finding: where a block stands for discouraging treatment, the review of
    the remedy named beside the treatment is not asked for as well; it is where no block is."""
    said = found("Throw away your inhaler: our salt room sessions do the work.", "UK")
    assert ("GEN-DISCOURAGE-TREATMENT", "block") in {(r, s) for r, s, _ in said}
    assert "GEN-TREATMENT-SWAP" not in {r for r, _, _ in said}
    said = found(
        "Still on your inhaler? Our salt room sessions help you breathe easier this winter.", "UK"
    )
    assert [(r, s) for r, s, _ in said] == [("GEN-TREATMENT-SWAP", "review")]


def test_from_a_newcomers_walkthrough_stopping_told_first_and_a_county_clinic():
    """'non ti serve più l'inalatore' (the stopping before the treatment) is a block as
    'non avrai più bisogno dell'inalatore' is; free flu shots at a county clinic are public
    information, not a lure."""
    said = found("non ti serve più l'inalatore dopo il corso", "IT")
    assert ("GEN-DISCOURAGE-TREATMENT", "block", "non ti serve più l'inalatore") in said
    assert found("Non ti serve più di un'ora: la visita dura 40 minuti.", "IT") == []
    text = "Free flu shots for kids under 18 at the county clinic this Sat, no appt needed"
    assert [r for r, _, _ in found(text, "US")] == []
