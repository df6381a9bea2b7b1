"""Dutch-like prose on KIS themes for the synthetic site: sentences from a seeded generator.

The same random generator state always gives the same text, so a page or report renders the same
bytes until its version changes.
"""

from __future__ import annotations

import random

THEMES = (
    ("polarisatie", "Polarisatie"),
    ("discriminatie-op-de-arbeidsmarkt", "Discriminatie op de arbeidsmarkt"),
    ("sinti-en-roma", "Sinti en Roma"),
    ("racisme", "Racisme"),
    ("moslimdiscriminatie", "Moslimdiscriminatie"),
    ("antisemitisme", "Antisemitisme"),
    ("lhbtiq-acceptatie", "Acceptatie van lhbtiq+-personen"),
    ("gelijke-kansen-in-het-onderwijs", "Gelijke kansen in het onderwijs"),
    ("statushouders", "Statushouders en werk"),
    ("samenleven-in-de-wijk", "Samenleven in de wijk"),
    ("emancipatie", "Emancipatie en zelfbeschikking"),
    ("leefbaarheid", "Leefbaarheid en sociale cohesie"),
)
SECTIONS = (
    "Wat is {t}?",
    "Definities en begrippen",
    "Wet- en regelgeving",
    "Kernproblemen",
    "Oplossingsrichtingen",
    "Wat werkt bij {t}?",
    "Feiten en cijfers",
    "Praktijkvoorbeelden",
    "Kernpublicaties",
    "Rol van de gemeente",
)
ACTORS = (
    "gemeenten",
    "scholen",
    "werkgevers",
    "professionals in het sociaal domein",
    "jongerenwerkers",
    "wijkteams",
    "zelforganisaties",
    "beleidsmakers",
    "docenten",
    "huisartsen",
    "woningcorporaties",
    "bewoners",
)
VERBS = (
    "versterken",
    "onderzoeken",
    "signaleren",
    "bespreekbaar maken",
    "aanpakken",
    "voorkomen",
    "ondersteunen",
    "verbinden",
    "monitoren",
    "verbeteren",
)
OBJECTS = (
    "het vertrouwen tussen groepen",
    "gelijke behandeling",
    "de toegang tot werk",
    "meldingen van discriminatie",
    "spanningen in de buurt",
    "de positie van jongeren",
    "het gesprek over identiteit",
    "inclusief werkgeverschap",
    "de samenwerking met sleutelfiguren",
    "ervaringskennis van de doelgroep",
    "het handelingsperspectief van professionals",
    "de aanpak van uitsluiting",
)
CLAUSES = (
    "omdat uit onderzoek blijkt dat vroeg signaleren werkt",
    "zodat inwoners zich gehoord voelen",
    "waarbij de doelgroep zelf een rol krijgt",
    "wat vraagt om een lange adem",
    "terwijl de middelen beperkt zijn",
    "in samenwerking met landelijke partners",
    "met aandacht voor de lokale context",
    "zoals beschreven in eerdere evaluaties",
)
SOURCES = (
    "het Sociaal en Cultureel Planbureau",
    "het College voor de Rechten van de Mens",
    "Movisie",
    "het Verwey-Jonker Instituut",
    "het CBS",
    "een landelijke enquête",
)


def sentence(rng: random.Random, theme: str) -> str:
    actor, verb, obj = rng.choice(ACTORS), rng.choice(VERBS), rng.choice(OBJECTS)
    shape = rng.randrange(4)
    if shape == 0:
        return f"{actor.capitalize()} kunnen {obj} {verb}, {rng.choice(CLAUSES)}."
    if shape == 1:
        share = rng.randint(8, 74)
        return (
            f"Volgens {rng.choice(SOURCES)} ervaart {share} procent van de ondervraagden problemen "
            f"rond {theme.lower()} in {rng.randint(2015, 2025)}."
        )
    if shape == 2:
        return f"Bij {theme.lower()} is het belangrijk om {obj} te {verb}, {rng.choice(CLAUSES)}."
    return f"Een aanpak die {obj} wil {verb}, begint bij {actor} en hun netwerk."


def paragraph(rng: random.Random, theme: str) -> str:
    return " ".join(sentence(rng, theme) for _ in range(rng.randint(2, 5)))
