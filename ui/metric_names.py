"""The evaluation metrics as an evaluator reads them: a Dutch name and one line on what it measures."""

from __future__ import annotations

METRICS: dict[str, tuple[str, str]] = {
    "pass_rate": ("geslaagd", "Items waarvan elke beurt voldoet: juiste soort antwoord, inhoud en bronnen."),
    "status_ok": (
        "juiste soort antwoord",
        "Antwoord, doorvraag of 'staat niet in de bronnen', zoals verwacht.",
    ),
    "answer_correct": ("inhoud juist", "Het antwoord bevat alles wat het volgens de gold-set moet bevatten."),
    "citation_support": ("bron ondersteunt", "Een geciteerde passage bevat het bewijs uit de gold-set."),
    "citation_validity": ("citaten kloppen", "Elke bronvermelding citeert zijn passage letterlijk."),
    "recall_at_1": ("bewijs bovenaan", "Het bewijs staat in de best gevonden passage."),
    "recall_at_5": ("bewijs in top 5", "Het bewijs staat in de vijf best gevonden passages."),
    "recall_at_10": ("bewijs in top 10", "Het bewijs staat in de tien best gevonden passages."),
    "mrr_at_10": ("rang van het bewijs", "Gemiddeld 1/rang van de eerste passage met bewijs (top 10)."),
    "ndcg_at_10": ("rangorde (nDCG)", "Hoe hoog de passages met bewijs staan, gewogen naar rang (top 10)."),
    "refusal_precision": (
        "terecht geweigerd",
        "Van de 'staat niet in de bronnen'-antwoorden: deel dat terecht was.",
    ),
    "refusal_recall": ("weigert waar nodig", "Van de vragen buiten de bronnen: deel dat geweigerd werd."),
    "clarify_precision": ("terecht doorgevraagd", "Van de doorvragen: deel bij een vraag die dat nodig had."),
    "clarify_recall": (
        "vraagt door waar nodig",
        "Van de dubbelzinnige vragen: deel waarbij werd doorgevraagd.",
    ),
    "option_coverage": ("keuzes compleet", "Een doorvraag biedt de keuzes die de gold-set verwacht."),
    "language_ok": (
        "juiste taal",
        "Een Engelse vraag krijgt Engelse omlijsting, een Nederlandse Nederlandse.",
    ),
    "hygiene_ok": ("leesbaar", "Geen kop als zin, half woord, herhaalde zin of lijst zonder items."),
    "judge_score": ("oordeel beoordelaar", "Score van de optionele LLM-beoordelaar."),
    "latency_p50_s": ("antwoordtijd (mediaan)", "De helft van de antwoorden was sneller."),
    "latency_p95_s": ("antwoordtijd (p95)", "95 % van de antwoorden was sneller."),
    "error_rate": ("foutkans", "Deel van de beurten waarbij de assistent een fout gaf."),
    "n_items": ("items", "Aantal items in de run."),
    "n_errors": ("fouten", "Aantal beurten met een fout van de assistent."),
    "n_invalid": ("ongeldige items", "Items uit het gold-bestand die niet gesteld konden worden."),
}


def name_of(metric: str) -> str:
    return METRICS.get(metric, (metric, ""))[0]


def explanation(metric: str) -> str:
    return METRICS.get(metric, ("", ""))[1]
