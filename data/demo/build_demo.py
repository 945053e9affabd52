#!/usr/bin/env python3
"""Build the bundled demo corpus in data/demo/ from the sources in this file.

Purpose: one place holds the invented world (cast, places, outlets), the article
bodies and the answer key, so texts, wire copies, outlet templates and gold labels
can never drift apart.  Run `python3 data/demo/build_demo.py` from anywhere; it
rewrites scraped/*.txt, feed.jsonl, labels.jsonl and gazetteer.tsv next to itself
and checks its own invariants.

Data structure: ARTICLES is a list of dicts (id, where, outlet, url, published,
thread, events, dup_group, body fields); OUTLETS maps an outlet key to a function
that wraps a body in that outlet's page boilerplate; EVENTS holds one gold record
per real-world event; ALIASES maps a canonical name to its surface variants.

Invariants: every article belongs to one thread; every event key an article lists
exists in EVENTS; articles of one dup_group share most paragraphs; every outlet's
boilerplate lines are identical across its articles (only headlines, dates,
related-article titles and counts vary); all names are fictional.
"""

import json
import math
import os
import re
import sys
from datetime import date, datetime

HERE = os.path.dirname(os.path.abspath(__file__))

MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# ---------------------------------------------------------------------------
# The invented world.  Coordinates sit in open ocean (South Atlantic) so they
# can never be mistaken for a real place within 50 km.
# ---------------------------------------------------------------------------

PLACES = [
    # name, alternate spellings, kind, country, admin1, lat, lon, population
    ("Veloria", ["Republic of Veloria"], "country", "XV", "", -18.90, -17.00, 14200000),
    ("Kestrel Republic", ["Kestrel"], "country", "XR", "", -18.30, -13.60, 6100000),
    ("Marenthia", [], "country", "XM", "", -12.90, -18.00, 9800000),
    ("Dorvani", [], "capital", "XV", "Capital District", -18.40, -17.20, 2300000),
    ("Amaranth Square", [], "square", "XV", "Capital District", -18.401, -17.198, 0),
    ("Port Almas", [], "city", "XV", "Almas Coast", -18.10, -19.60, 410000),
    ("Sahrat Province", ["Sahrat"], "province", "XV", "Sahrat", -20.90, -16.90, 1900000),
    ("Qasr Tamun", ["Kasr Tamoun"], "city", "XV", "Sahrat", -20.55, -16.90, 380000),
    ("Ain Jadida", [], "district", "XV", "Sahrat", -20.59, -16.89, 42000),
    ("Dar el-Mirah", ["Dar al Mira", "Dar al-Mirah"], "town", "XV", "Sahrat", -21.05, -17.35, 30000),
    ("Umm Sarai", [], "village", "XV", "Sahrat", -20.78, -17.08, 6500),
    ("Beit Narun", [], "village", "XV", "Sahrat", -20.85, -16.40, 9000),
    ("Wadi Teshal", [], "valley", "XV", "Sahrat", -21.25, -17.05, 0),
    ("Lorrin Province", ["Lorrin"], "province", "XV", "Lorrin", -16.90, -15.70, 850000),
    ("Halvik", [], "city", "XV", "Lorrin", -16.70, -15.90, 160000),
    ("Tell Avrin", ["Tel Avrin"], "town", "XV", "Lorrin", -16.95, -15.55, 24000),
    ("Veyra", [], "village", "XV", "Lorrin", -17.05, -15.40, 3100),
    ("Varnholm", [], "capital", "XR", "Varn", -17.60, -13.20, 900000),
    ("Brennmark", [], "city", "XR", "South March", -19.80, -13.90, 210000),
    ("Sollis", [], "capital", "XM", "Sollis", -13.20, -18.50, 1600000),
    ("Ebron Highlands", [], "region", "XM", "Ebron", -12.70, -17.30, 700000),
    ("Karsk", [], "village", "XM", "Ebron", -12.60, -17.40, 2400),
]
COORDS = {p[0]: (p[5], p[6]) for p in PLACES}

# canonical -> (kind, surface variants).  Titles are not aliases; only names.
ALIASES = {
    # people
    "Haroun al-Tessaly": ("people", ["Haroun al-Tessali", "Haroun Al Tessaly", "al-Tessaly",
                                     "al-Tessali", "Tessaly"]),
    "Tarek Moussan": ("people", ["Tariq Mussan", "Moussan", "Mussan"]),
    "Joran Vedder": ("people", ["Jöran Vedder", "Vedder"]),
    "Daria Meszen": ("people", ["Darya", "Meszen"]),
    "Elske Brandvik": ("people", ["Brandvik"]),
    "Faisal Dunnar": ("people", ["Dunnar"]),
    "Rami Qassar": ("people", ["Rami Kassar", "Qassar", "Kassar"]),
    "Idris Kalloum": ("people", ["Kalloum"]),
    "Corin Haddane": ("people", ["Haddane"]),
    "Tomas Ilvane": ("people", ["Ilvane"]),
    "Mikail Orsadi": ("people", ["Orsadi"]),
    "Mira Castell": ("people", ["Castell"]),
    "Nadira Soum": ("people", ["Soum"]),
    "Murad Kessan": ("people", ["Kessan"]),
    "Ammar Sefari": ("people", ["Sefari"]),
    "Yassin Dabour": ("people", ["Abu Layth", "Dabour"]),
    "Leila Amrani": ("people", ["Amrani"]),
    "Bastien Arvel": ("people", ["Arvel"]),
    "Aurel Kasch": ("people", ["Kasch"]),
    "Hendrik Aalmo": ("people", ["Aalmo"]),
    # organisations
    "Crimson Dawn Front": ("orgs", ["CDF", "the Front", "Crimson Dawn"]),
    "Highland Liberation Army": ("orgs", ["HLA"]),
    "Sahrat Monitor for Human Rights": ("orgs", ["the Monitor"]),
    "Civic Renewal Party": ("orgs", ["CRP"]),
    "Velorian Civil Protection Agency": ("orgs", ["Civil Protection Agency"]),
    "Meridian Press": ("orgs", ["Meridian", "MP"]),
    "Velorian News Agency": ("orgs", ["VNA"]),
    "Nordvik Hydro": ("orgs", []),
    "Unity Party": ("orgs", []),
    # outlets, so that "Kestrel Herald" is not read as a mention of Kestrel
    "The Velorian Times": ("orgs", []),
    "Dorvani Daily Post": ("orgs", ["the Post"]),
    "Kestrel Herald": ("orgs", []),
    "Sahrat Online": ("orgs", []),
    "Global Desk": ("orgs", []),
    "The Sollis Courier": ("orgs", []),
}
for _p in PLACES:
    ALIASES[_p[0]] = ("places", list(_p[1]))

# ---------------------------------------------------------------------------
# Gold events: one record per real-world event.  `killed` is the latest figure
# from an official source (authorities, health officials, civil protection);
# other figures the texts give are in killed_alt.
# ---------------------------------------------------------------------------

EVENTS = {
    "K1": dict(date="2025-01-20", type=["other", "raid_or_arrest"], actor=None,
               target="Joran Vedder", location="Umm Sarai", killed=None),
    "K2": dict(date="2025-01-28", type="statement", actor=None,
               target="Nordvik Hydro", location="Qasr Tamun", killed=None),
    "K3": dict(date="2025-02-04", type="other", actor=None,
               target="Joran Vedder", location="Qasr Tamun", killed=None),
    "P1": dict(date="2025-02-08", type="protest", actor="Civic Renewal Party",
               target="Velorian government", location="Dorvani", killed=None),
    "P2": dict(date="2025-02-11", type=["armed_clash", "protest"], actor="police",
               target="protesters", location="Dorvani", killed=2, killed_alt=[3]),
    "P2Q": dict(date="2025-02-11", type="protest", actor="protesters",
                target="Velorian government", location="Qasr Tamun", killed=None),
    "P3": dict(date="2025-02-13", type="raid_or_arrest", actor="police",
               target="Daria Meszen", location="Dorvani", killed=None),
    "P4": dict(date="2025-02-17", type=["statement", "agreement"], actor="Corin Haddane",
               target=None, location="Dorvani", killed=None),
    "E1": dict(date="2025-03-03", type="airstrike", actor="Velorian Air Force",
               target="Crimson Dawn Front", location="Dar el-Mirah", killed=12,
               killed_alt=[15]),
    "E2": dict(date="2025-03-07", type="bombing", actor="Crimson Dawn Front",
               target="Velorian Army", location="Qasr Tamun", killed=4),
    "E3": dict(date="2025-03-14", type="airstrike", actor="Velorian Air Force",
               target="Crimson Dawn Front", location=["Beit Narun", "Umm Sarai"],
               killed=27, killed_alt=[23]),
    "E4": dict(date="2025-03-24", type="airstrike", actor="Velorian Air Force",
               target="Crimson Dawn Front", location="Wadi Teshal", killed=9,
               killed_alt=[6]),
    "M1": dict(date="2025-03-14", type="airstrike", actor="Marenthian Air Force",
               target="Highland Liberation Army", location="Karsk", killed=8,
               killed_alt=[10]),
    "Q1": dict(date="2025-04-09", type="disaster", actor=None, target=None,
               location="Tell Avrin", killed=148, killed_alt=[37, 112]),
    "Q2": dict(date="2025-04-12", type="disaster", actor=None, target=None,
               location="Halvik", killed=3),
    "C1": dict(date="2025-05-06", type="meeting", actor="Veloria",
               target="Crimson Dawn Front", location="Varnholm", killed=None),
    "C2": dict(date="2025-05-20", type="agreement", actor="Veloria",
               target="Crimson Dawn Front", location="Varnholm", killed=None),
    "C3": dict(date="2025-05-28", type="shelling", actor="Crimson Dawn Front",
               target=None, location=["Ain Jadida", "Qasr Tamun"], killed=2),
    "L1": dict(date="2025-06-01", type="election", actor="Unity Party",
               target=None, location="Kestrel Republic", killed=None),
}

THREADS = {
    "kidnap": "Kidnapping of a Kestrel engineer on the Sahrat highway (Jan-Feb 2025)",
    "protests": "Fuel-price protests in Dorvani (Feb 2025)",
    "campaign": "Southern Shield air campaign against the Crimson Dawn Front in Sahrat (Mar 2025)",
    "marenthia": "Marenthian air raid on the Highland Liberation Army at Karsk (Mar 2025)",
    "quake": "Lorrin Province earthquake (Apr 2025)",
    "ceasefire": "Varnholm talks and ceasefire between Veloria and the CDF (May 2025)",
    "election": "Kestrel Republic parliamentary election (Jun 2025)",
}

# ---------------------------------------------------------------------------
# Date helpers
# ---------------------------------------------------------------------------


def dt(s):
    return datetime.strptime(s, "%Y-%m-%d %H:%M")


def clock(d):
    h = d.hour % 12 or 12
    return f"{h}:{d.minute:02d} {'AM' if d.hour < 12 else 'PM'}"


def long_us(d):                       # March 14, 2025
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def long_uk(d):                       # Friday, 14 March 2025
    return f"{DAYS[d.weekday()]}, {d.day} {MONTHS[d.month - 1]} {d.year}"


# ---------------------------------------------------------------------------
# Outlet templates.  Each returns the page text as a crawler would scrape it.
# The fixed lines are the outlet's template; tests learn them per outlet.
# ---------------------------------------------------------------------------


def body_with_dateline(a, sep=" — "):
    paras = list(a["paras"])
    if a.get("dateline"):
        paras[0] = a["dateline"] + sep + paras[0]
    return paras


def vt(a):
    d = dt(a["time"])
    out = ["Skip to main content", "The Velorian Times",
           "Home  Nation  Sahrat  World  Business  Opinion  Sport  Weather",
           "Subscribe | Sign in", "", a["section"], "", a["title"], "",
           f"By {a['byline']}", f"Updated: {long_us(d)} {clock(d)}", "",
           "Share on Facebook", "Share on X", "E-mail", "Print", ""]
    if a.get("caption"):
        out += [f"{a['caption']} (Photo: {a['credit']})", ""]
    for i, p in enumerate(body_with_dateline(a)):
        out += [p, ""]
        if i == 2:
            out += ["Advertisement", ""]
    out += ["Sign up for our newsletter: The Morning Brief, in your inbox every weekday at 7 AM.",
            "", "Related articles"] + a["related"] + [
            "", f"{a['comments']} comments", "",
            "© 2025 The Velorian Times. All rights reserved.",
            "Terms of use | Privacy policy | Contact us",
            "We use cookies to improve your experience on our site. Accept | Manage settings"]
    return "\n".join(out) + "\n"


def dp(a):
    d = dt(a["time"])
    out = ["DORVANI DAILY POST", "Menu", "Search",
           "Latest  Politics  Regions  World  Video  Opinion", "",
           long_uk(d), "", a["title"], "", a["byline"], ""]
    for i, p in enumerate(body_with_dateline(a)):
        out += [p, ""]
        if i == 1:
            out += [f"READ MORE: {a['related'][0]}", ""]
        if i == 3:
            out += ["ADVERTISEMENT", ""]
    out += ["Follow the Dorvani Daily Post on Facebook, Instagram and WhatsApp for the latest news.",
            "", "MOST READ"] + [f"{n}. {t}" for n, t in enumerate(a["related"][1:], 1)] + [
            "", "Copyright © 2025 Dorvani Daily Post. All rights reserved.",
            "This site uses cookies. By continuing to browse the site you are agreeing to our use of cookies."]
    return "\n".join(out) + "\n"


def kh(a):
    d = dt(a["time"])
    words = sum(len(p.split()) for p in a["paras"])
    out = ["Kestrel Herald", "Log in", "Subscribe",
           "World | Region | Kestrel | Economy | Culture", "",
           f"Home > World > {a['section']}", "", a["title"], ""]
    if a.get("standfirst"):
        out += [a["standfirst"], ""]
    out += [f"{d.month}/{d.day}/{d.year}", f"{max(1, math.ceil(words / 200))} min read",
            "Listen to this article", ""]
    if a.get("caption"):
        out += [f"{a['caption']} Photo: {a['credit']}", ""]
    for i, p in enumerate(body_with_dateline(a)):
        out += [p, ""]
        if i == 3:
            out += [f"Read more: {a['related'][0]}", ""]
    out += ["Share this article", "", f"Comments ({a['comments']})", "",
            "Kestrel Herald Media Group © 2025 | Imprint | Data protection | Cookie preferences"]
    return "\n".join(out) + "\n"


def so(a):
    d = dt(a["time"])
    out = ["Sahrat Online — news from the south", "Home  Local  National  World  Contact", "",
           a["title"], "", f"Posted on {d.day:02d}/{d.month:02d}/{d.year} by {a['byline']}", ""]
    if a.get("caption"):
        out += [f"{a['caption']} (Photo: {a['credit']})", ""]
    for p in body_with_dateline(a, " – "):
        out += [p, ""]
    out += ["Share: Facebook | Twitter | WhatsApp | Email", "",
            "Tags: " + ", ".join(a["tags"]), "",
            f"{a['comments']} Comments", "Leave a comment", "",
            "Sahrat Online © 2025 | Independent local news from Qasr Tamun | Contact: desk@sahrat-online.example"]
    return "\n".join(out) + "\n"


def gd(a):
    d = dt(a["time"])
    out = ["GLOBAL DESK", "World news, without the noise",
           "World · Region · Markets · Climate · Opinion", "", a["title"], "",
           f"Published {d:%Y-%m-%d %H:%M} UTC", f"Source: {a['byline']}", ""]
    for p in body_with_dateline(a, " - " if a.get("ascii_dash") else " — "):
        out += [p, ""]
    out += ["Read more", ] + a["related"] + [
            "", "This article may contain material from news agencies, republished under licence.",
            "Global Desk © 2025 · About · Cookie settings"]
    return "\n".join(out) + "\n"


def mp(a):
    d = dt(a["time"])
    out = ["Meridian Press", "Wire | World | Business | Photos | Video", "", a["title"], "",
           "By MERIDIAN PRESS", f"{long_us(d)}, {clock(d)} GMT", ""]
    for p in body_with_dateline(a):
        out += [p, ""]
    out += ["Copyright 2025 Meridian Press. All rights reserved. This material may not be "
            "published, broadcast, rewritten or redistributed without permission."]
    return "\n".join(out) + "\n"


def vna(a):
    d = dt(a["time"])
    out = ["VNA — Velorian News Agency", "Home | Politics | Economy | Regions | English Service", "",
           "English Service", "", a["title"], "",
           f"Dorvani, {d.day} {MONTHS[d.month - 1]} {d.year} (VNA)", "", "Print | Send", ""]
    for p in body_with_dateline(a, " – "):
        out += [p, ""]
    out += ["Keywords: " + ", ".join(a["tags"]), "",
            "All rights reserved © Velorian News Agency 2025"]
    return "\n".join(out) + "\n"


def sc(a):
    d = dt(a["time"])
    out = ["THE SOLLIS COURIER", "Marenthia's independent voice since 1921",
           "News  Highlands  Politics  Business  Sport", "", a["title"], "",
           f"{DAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}, {d:%H:%M}", ""]
    for p in body_with_dateline(a):
        out += [p, ""]
    out += ["Do you have a story? Write to news@sollis-courier.example", "",
            "© The Sollis Courier 2025"]
    return "\n".join(out) + "\n"


OUTLETS = {
    "vt": ("The Velorian Times", vt),
    "dp": ("Dorvani Daily Post", dp),
    "kh": ("Kestrel Herald", kh),
    "so": ("Sahrat Online", so),
    "gd": ("Global Desk", gd),
    "mp": ("Meridian Press", mp),
    "vna": ("Velorian News Agency", vna),
    "sc": ("The Sollis Courier", sc),
}

# ---------------------------------------------------------------------------
# Wire texts that several sites republish.
# ---------------------------------------------------------------------------

WIRE_A = [  # Meridian Press, 2025-03-14: air strikes on Beit Narun and Umm Sarai
    "Velorian air strikes on two villages in the southern province of Sahrat killed at least 23 "
    "people on Friday, local officials and medics said, in the deadliest day since the army "
    "launched an offensive against the Crimson Dawn Front earlier this month.",
    "The strikes hit Beit Narun and Umm Sarai, two farming villages on the plain east and south "
    "of the provincial capital Qasr Tamun, shortly after Friday prayers, witnesses said. More than "
    "40 people were wounded.",
    "Army spokesman Brigadier General Tarek Moussan said the air force had targeted \"gatherings "
    "of armed terrorists\" who were preparing attacks on army positions, and that all of those "
    "killed in Beit Narun were members of the Front.",
    "\"The operation is proceeding according to plan. We strike only where the Front gathers its "
    "men and weapons,\" Moussan told Meridian Press by telephone.",
    "Residents disputed that account. Hassan Jubeir, a teacher in Beit Narun, said one strike hit "
    "a house next to the village mosque as worshippers were leaving. \"There were no fighters "
    "there. There were old men and boys,\" he said.",
    "The head of the provincial health directorate, Dr. Leila Amrani, said 16 bodies had been "
    "brought to the clinic in Beit Narun and seven to the hospital in Qasr Tamun. She said the "
    "toll could rise because several of the wounded were in critical condition.",
    "The Crimson Dawn Front, which Velorian officials also call by its initials, CDF, vowed "
    "revenge in a statement and said the dead were \"martyrs of the people of Sahrat\".",
    "The government launched its offensive, dubbed Southern Shield, on March 3 with a strike on "
    "the town of Dar el-Mirah that the army said killed 12 militants. A week ago, a suicide car "
    "bomb claimed by the Front killed four soldiers at a checkpoint outside Qasr Tamun.",
    "The Sahrat Monitor for Human Rights said that at least 61 people, including 14 civilians, "
    "had been killed in the offensive so far. The figures could not be independently verified.",
    "The Front has fought for self-rule for Sahrat since 2013. The conflict has killed thousands "
    "of people and driven tens of thousands from their homes, according to relief agencies.",
]

WIRE_B = [  # Meridian Press, 2025-04-09: Lorrin earthquake
    "A magnitude 6.4 earthquake struck Veloria's mountainous Lorrin Province before dawn on "
    "Wednesday, killing at least 37 people and trapping dozens under collapsed buildings, "
    "officials said.",
    "The quake hit at 4:12 a.m. local time at a depth of 11 kilometres, about 12 kilometres "
    "southeast of the town of Tell Avrin, the National Seismological Observatory said. It was "
    "felt as far away as Dorvani, some 240 kilometres to the southwest.",
    "Mira Castell, head of the Velorian Civil Protection Agency, said most of the victims were in "
    "Tell Avrin and in the nearby village of Veyra, where many houses are built of stone and mud "
    "brick. \"Whole streets have come down. We are still pulling people out,\" she told state radio.",
    "More than 200 people were injured, Castell said. Rescue teams from Halvik, the provincial "
    "capital, reached Tell Avrin about three hours after the quake because a landslide had "
    "blocked the main road.",
    "Television images showed residents digging through rubble with their hands and shovels as "
    "light snow fell. At least four aftershocks, the strongest of magnitude 4.8, shook the area "
    "during the morning.",
    "President Mikail Orsadi declared three days of national mourning and ordered the army to "
    "send helicopters and field hospitals to the province.",
    "The Kestrel Republic offered to send search-and-rescue teams and said a first plane with "
    "tents and blankets could leave Varnholm within hours.",
    "Lorrin Province, which borders the Kestrel Republic, lies on an active fault. An earthquake "
    "of magnitude 5.9 near Halvik in 1987 killed more than 300 people.",
]

# ---------------------------------------------------------------------------
# The articles.  where: "txt" -> scraped/<id>.txt, "feed" -> feed.jsonl.
# ---------------------------------------------------------------------------

ARTICLES = []


def art(**kw):
    ARTICLES.append(kw)


# --- Story: kidnapping -----------------------------------------------------

art(id="d01", where="txt", outlet="vt", thread="kidnap", events=["K1"],
    url="https://www.velorian-times.example/2025/01/21/gunmen-abduct-kestrel-engineer-sahrat-highway/",
    time="2025-01-21 08:15", section="Sahrat",
    title="Gunmen abduct Kestrel engineer and two Velorian drivers on Sahrat highway",
    byline="Samir Oudda",
    caption="Soldiers at a checkpoint on the highway between Qasr Tamun and Dar el-Mirah.",
    credit="Lena Farro/The Velorian Times",
    dateline="QASR TAMUN, Veloria",
    paras=[
        "Gunmen abducted a Kestrel engineer and two Velorian drivers late on Monday on the highway "
        "linking Qasr Tamun with Dar el-Mirah in southern Sahrat Province, security officials and "
        "the engineer's employer said.",
        "The three men were travelling in a company pickup truck from a water-pumping station near "
        "the village of Umm Sarai when at least six armed men in two vehicles forced them off the "
        "road shortly after 6 p.m., a police officer in Qasr Tamun said, speaking on condition of "
        "anonymity because he was not authorised to brief reporters.",
        "The engineer was identified by his employer, the Kestrel company Nordvik Hydro, as Joran "
        "Vedder, 46, who has supervised the repair of the Umm Sarai pumping station since last "
        "summer. Relatives named the drivers, both from Qasr Tamun, as Yunus Abbar and Salem Kouri.",
        "\"We are in close contact with the Velorian authorities and are doing everything we can to "
        "bring our colleagues home safely,\" the company said in a statement.",
        "No group has claimed responsibility. The governor of Sahrat Province, Faisal Dunnar, said "
        "the kidnapping bore \"all the hallmarks\" of the Crimson Dawn Front, the militant group "
        "that has fought government forces in the province for more than a decade. A spokesman for "
        "the Front, reached by telephone, denied any involvement.",
        "Rami Qassar, spokesman for the Interior Ministry, said that checkpoints had been set up on "
        "all roads leading out of the area and that a helicopter was searching the hills west of "
        "the highway.",
        "Kidnappings for ransom have become increasingly common on the roads of southern Veloria, "
        "where criminal gangs and militants operate side by side. In September, two Velorian health "
        "workers were seized near Beit Narun and held for 19 days before being released.",
        "The abduction comes weeks before Interior Minister Haroun al-Tessaly was due to visit the "
        "province to open a new police headquarters in Qasr Tamun.",
    ],
    related=["Sahrat governor promises new checkpoints on southern highway",
             "Kestrel firm wins contract to repair Umm Sarai water network",
             "Analysis: Why the south's roads remain Veloria's most dangerous"],
    comments=27)

art(id="d02", where="txt", outlet="kh", thread="kidnap", events=["K1"],
    url="https://www.kestrelherald.example.org/world/kestrel-engineer-kidnapped-veloria-a41c07",
    time="2025-01-22 07:30", section="Region",
    title="Kestrel engineer kidnapped in southern Veloria, Foreign Ministry confirms",
    standfirst="Jöran Vedder, 46, was seized with two local drivers on Monday evening. His family "
               "has appealed for his release.",
    caption="Jöran Vedder in an undated family photograph.", credit="private / Kestrel Herald",
    dateline="VARNHOLM (KH)",
    paras=[
        "The Kestrel Republic's Foreign Ministry on Tuesday confirmed that a Kestrel citizen was "
        "among three people kidnapped in Veloria's Sahrat Province and said it had set up a crisis "
        "team to work for his release.",
        "Jöran Vedder, a 46-year-old hydraulic engineer from Brennmark, was abducted on Monday "
        "evening together with two Velorian drivers on a road south of the provincial capital, "
        "Kasr Tamoun, according to the ministry.",
        "\"Our first concern is the safety of Mr. Vedder and of his Velorian colleagues,\" Foreign "
        "Minister Elske Brandvik told reporters in Varnholm. \"We are working with the authorities "
        "in Dorvani around the clock, and we ask everyone to refrain from speculation that could "
        "put lives at risk.\"",
        "Brandvik said she had spoken by telephone with Veloria's interior minister, Haroun "
        "al-Tessali, who assured her that \"every available resource\" was being deployed in the "
        "search.",
        "Vedder's wife, Annika, appealed to the kidnappers in a short video recorded at the family "
        "home in Brennmark. \"Jöran went to Veloria to bring clean water to people who need it. He "
        "is nobody's enemy. Please let him come home to his children,\" she said.",
        "The Kestrel Republic advises against all travel to Sahrat Province, where the Crimson Dawn "
        "Front (CDF) has waged an insurgency against the Velorian government since 2013. Velorian "
        "officials have suggested that the CDF may be behind the abduction, a claim the group has "
        "rejected.",
        "Vedder's employer, Nordvik Hydro, said it had suspended work at its three project sites in "
        "southern Veloria and withdrawn its remaining foreign staff to Dorvani.",
        "According to the ministry, at least four Kestrel nationals have been kidnapped in the "
        "region since 2019. All were eventually freed.",
    ],
    related=["Travel advice: where Kestrel citizens should not go this year"],
    comments=14)

art(id="f02", where="feed", outlet="vna", thread="kidnap", events=["K2"], feed_fields=[],
    url="https://www.vna.example/en/news/2025/01/29/kidnappers-demand-ransom-1187",
    time="2025-01-29 14:20",
    title="Kidnappers of Kestrel engineer demand ransom in video, ministry says",
    dateline="Dorvani, Jan. 29 (VNA)",
    paras=[
        "The kidnappers of a Kestrel engineer and two Velorian drivers abducted in Sahrat Province "
        "last week have demanded a ransom for their release in a video sent to the men's employer, "
        "the Interior Ministry said on Wednesday.",
        "The video, delivered to the offices of Nordvik Hydro in Qasr Tamun yesterday, shows Joran "
        "Vedder and the two drivers sitting in front of a grey blanket, apparently in good health, "
        "the ministry's spokesman, Rami Kassar, told a news conference.",
        "In the recording, a masked man demands 2 million dollars and warns the company not to "
        "involve the security forces. The spokesman said that the state \"does not negotiate with "
        "criminals\" and that the search had been narrowed to an area in the hills west of Umm "
        "Sarai.",
        "Kassar said investigators believed the kidnappers belonged to a criminal gang rather than "
        "to the Crimson Dawn Front, contradicting earlier remarks by the provincial governor.",
        "The three men were seized on the evening of January 20 on the road between Qasr Tamun and "
        "Dar el-Mirah.",
        "Interior Minister Haroun al-Tessaly has postponed a planned visit to Sahrat Province, the "
        "ministry said.",
        "Nordvik Hydro declined to comment on the video. The company suspended work at its project "
        "sites in the south after the abduction.",
    ],
    tags=["Sahrat", "kidnapping", "Interior Ministry"])

art(id="d03", where="txt", outlet="dp", thread="kidnap", events=["K3"],
    url="https://dorvanipost.example.com/news/2025-02-05/kestrel-engineer-drivers-freed-5521",
    time="2025-02-05 09:00",
    title="Kestrel engineer and two drivers freed after two weeks in captivity",
    byline="Post Reporter", dateline="QASR TAMUN",
    paras=[
        "A Kestrel engineer and two Velorian drivers kidnapped in Sahrat Province last month were "
        "freed on Tuesday after 15 days in captivity, following mediation by tribal elders, "
        "officials said.",
        "Joran Vedder, 46, and the drivers Yunus Abbar and Salem Kouri were handed over to police at "
        "the governor's office in Qasr Tamun late on Tuesday, tired but unharmed, Governor Faisal "
        "Dunnar told reporters.",
        "\"They are in good health and they are free. This is a happy day for their families and "
        "for Sahrat,\" Dunnar said.",
        "Officials gave no details of how the release was secured and would not say whether a "
        "ransom had been paid. The Interior Ministry said last week that the kidnappers had "
        "demanded 2 million dollars in a video sent to Vedder's employer.",
        "A member of the council of elders of the Beni Zaal clan said the elders had negotiated for "
        "nine days with the kidnappers, whom he described as \"young men from the area who wanted "
        "money, not politics\". He declined to give his name.",
        "Interior Minister Haroun Al Tessaly thanked the elders and the security forces and said "
        "those responsible \"will be brought to justice, whatever time it takes\".",
        "In Varnholm, Kestrel Foreign Minister Elske Brandvik said Vedder would be flown home on "
        "Thursday. \"We are immensely relieved,\" she said.",
        "The three men were abducted on January 20 on the highway between Qasr Tamun and Dar "
        "el-Mirah, one of the most dangerous roads in the country.",
    ],
    related=["Kidnappers demand ransom for Kestrel engineer, ministry says",
             "Fuel prices rise by 31 percent as subsidy cut takes effect",
             "Dorvani council approves new bus lanes on Republic Avenue",
             "Weather: cold snap expected across the north this weekend"])

# --- Story: fuel protests ---------------------------------------------------

DP_PROTEST_RELATED = ["Government defends fuel subsidy cut as 'painful but necessary'",
                      "Taxi drivers threaten strike over fuel prices",
                      "Dorvani University cancels exams as students join protests",
                      "Weather: sunny and mild in the capital"]

art(id="d04", where="txt", outlet="dp", thread="protests", events=["P1"],
    url="https://dorvanipost.example.com/news/2025-02-08/thousands-march-fuel-price-rise-5604",
    time="2025-02-08 19:40",
    title="Thousands march in Dorvani against fuel price rise",
    byline="Nadia Ferrat and Post Reporters", dateline="DORVANI",
    paras=[
        "Thousands of people marched through central Dorvani on Saturday to protest against a sharp "
        "rise in fuel prices, in the largest demonstration the Velorian capital has seen in years.",
        "Protesters, many of them students and taxi drivers, gathered in Amaranth Square from late "
        "morning and marched to the Council of Ministers building on Republic Avenue, chanting "
        "slogans against Prime Minister Corin Haddane and waving empty jerrycans.",
        "The government cut fuel subsidies on February 1, raising the price of petrol by 31 percent "
        "and of diesel by 27 percent overnight. Officials say the subsidies cost the state more "
        "than a fifth of its budget and have to be phased out under an agreement with foreign "
        "lenders.",
        "\"I drive a taxi twelve hours a day and now half of what I earn goes into the tank. How am "
        "I supposed to feed my family?\" said Karim Haddou, 38, who had joined the march with his "
        "two brothers.",
        "The march was called by student unions and the opposition Civic Renewal Party (CRP), whose "
        "leader Tomas Ilvane addressed the crowd from the back of a lorry. Ilvane said the "
        "protests would continue \"every day if necessary\" until the price rise was reversed.",
        "Police, who lined the route in large numbers, said the march passed off peacefully. They "
        "gave no crowd estimate; organisers said more than 40,000 people took part.",
        "Student leader Daria Meszen, 23, told the Post that the movement was \"not about one "
        "party\". \"This is about a generation that cannot afford to live in its own country,\" she "
        "said.",
        "The Interior Ministry said in a statement that it respected the right to peaceful protest "
        "but would \"not tolerate any attack on public or private property\".",
    ],
    related=DP_PROTEST_RELATED)

art(id="d05", where="txt", outlet="vt", thread="protests", events=["P1"],
    url="https://www.velorian-times.example/2025/02/09/fuel-protest-fills-amaranth-square/",
    time="2025-02-09 10:02", section="Nation",
    title="Fuel protest fills Amaranth Square as opposition vows daily rallies",
    byline="Hana Severin",
    caption="Protesters wave empty jerrycans on Republic Avenue.",
    credit="Tomas Reiner/The Velorian Times",
    dateline="DORVANI, Veloria",
    paras=[
        "Tens of thousands of people, by the organisers' count, took to the streets of Dorvani on "
        "Saturday against the government's decision to scrap fuel subsidies. Police put the "
        "number at about 8,000.",
        "The demonstration, which began in Amaranth Square and ended outside the Council of "
        "Ministers, was largely peaceful, although police briefly used pepper spray to push back a "
        "group of young men who tried to climb the building's outer gate.",
        "Organisers from the Civic Renewal Party said 40,000 people had taken part. \"The government "
        "can count the way it likes. Anyone who was in the square today knows what they saw,\" "
        "party spokeswoman Vera Lind told The Velorian Times.",
        "Prime Minister Corin Haddane, speaking on state television on Saturday evening, said he "
        "understood people's anger but that the country \"cannot keep borrowing to burn fuel\". He "
        "said cash payments to the poorest two million households would begin in March.",
        "Interior Minister Haroun al-Tessaly said 14 people had been detained for damaging shop "
        "windows and had been released by evening.",
        "Economists say the subsidies, introduced in the 1990s, mostly benefit better-off households "
        "that own cars. \"Veloria spends more on fuel subsidies than on health and education "
        "combined,\" said Petra Ansel, an economist at Dorvani University.",
        "The protests come at a difficult time for Haddane's coalition, which is also under "
        "pressure over security in Sahrat Province, where a Kestrel engineer was freed earlier "
        "this week after being held by kidnappers for 15 days.",
        "Student groups said they would hold a sit-in at Dorvani University on Monday and another "
        "march on Tuesday.",
    ],
    related=["Explainer: what the fuel subsidy cut means for your budget",
             "Opinion: Haddane has misread the street",
             "Freed Kestrel engineer thanks Sahrat elders"],
    comments=311)

art(id="d06", where="txt", outlet="so", thread="protests", events=["P2", "P2Q"],
    url="https://sahrat-online.example/?p=48102",
    time="2025-02-12 08:10",
    title="Two dead as police and fuel protesters clash in Dorvani; rallies spread to Qasr Tamun",
    byline="Newsroom", dateline="",
    paras=[
        "Two protesters were killed and dozens injured in Dorvani on Tuesday when police fired tear "
        "gas and rubber bullets to disperse a march against the rise in fuel prices, the Interior "
        "Ministry said.",
        "The ministry said in a statement that the two men, aged 19 and 24, died in hospital. It "
        "said 31 police officers were also hurt when \"rioters\" threw stones and petrol bombs near "
        "the Council of Ministers.",
        "Witnesses said the violence began after police blocked marchers from entering Republic "
        "Avenue. Hospital sources said more than 60 people were treated for injuries, most of them "
        "for the effects of tear gas.",
        "Here in Qasr Tamun, several hundred people rallied outside the governor's office on "
        "Tuesday evening in solidarity with the protesters in the capital, the first fuel protest "
        "in the south. The gathering ended peacefully after about two hours.",
        "\"Fuel in Sahrat was already more expensive than in the capital, because everything comes "
        "by truck. Now farmers cannot even afford to run their pumps,\" said Issa Marouf, a farmer "
        "from Beit Narun who joined the rally.",
        "Governor Faisal Dunnar appealed for calm and said he would pass the protesters' demands on "
        "to the government in Dorvani.",
        "The Civic Renewal Party, which has led the protests, called for a day of mourning on "
        "Wednesday.",
    ],
    tags=["Dorvani", "Protests", "Fuel prices", "Qasr Tamun"], comments=9)

D07 = dict(
    outlet="dp", thread="protests", events=["P2"],
    time="2025-02-12 17:25",
    title="Death toll disputed after police crack down on fuel march",
    byline="Nadia Ferrat", dateline="DORVANI",
    paras=[
        "The opposition Civic Renewal Party said on Wednesday that three people were killed when "
        "police broke up a march against fuel price increases in the capital, disputing the "
        "Interior Ministry's toll of two dead.",
        "Party leader Tomas Ilvane told a news conference that a third protester, a 17-year-old "
        "student, had died overnight at Dorvani General Hospital. The hospital declined to comment "
        "and the ministry stood by its figure of two dead.",
        "\"The government fired on its own children. We hold the interior minister personally "
        "responsible,\" Ilvane said.",
        "Interior Minister Haroun al-Tessali told parliament that police had acted \"with restraint "
        "in the face of organised violence\" and that an inquiry would establish whether any "
        "officer had broken the rules. He said 31 officers had been injured and 57 people arrested.",
        "Tuesday's clashes erupted when several thousand marchers tried to break through a police "
        "cordon at the end of Republic Avenue. Police fired tear gas and rubber bullets, and "
        "protesters responded with stones. More than 60 people were treated in hospital, medical "
        "sources said.",
        "Rights groups called for an independent investigation. The Sahrat Monitor for Human Rights, "
        "which usually documents abuses in the south, said it had collected video showing police "
        "firing at close range at protesters who posed no threat.",
        "Students observed a minute of silence at Dorvani University on Wednesday morning. Protest "
        "organisers said they would march again on Saturday.",
    ],
    related=["Thousands march in Dorvani against fuel price rise"] + DP_PROTEST_RELATED[1:])

art(id="d07", where="txt", dup_group="g3",
    url="https://dorvanipost.example.com/news/2025-02-12/death-toll-disputed-fuel-march-5688",
    **D07)
# Exact copy: the same scraped page reached through the feed under another id.
art(id="f03", where="feed", dup_group="g3", duplicate_of="d07", feed_fields=[],
    url=None, **D07)

art(id="d08", where="txt", outlet="vt", thread="protests", events=["P3"],
    url="https://www.velorian-times.example/2025/02/14/police-arrest-student-leader-meszen/",
    time="2025-02-14 12:48", section="Nation",
    title="Police arrest student leader Daria Meszen in night raid",
    byline="Hana Severin",
    caption="Students outside police headquarters on Station Road on Friday.",
    credit="Tomas Reiner/The Velorian Times",
    dateline="DORVANI, Veloria",
    paras=[
        "Police arrested Daria Meszen, one of the student leaders of the protests against fuel "
        "price increases, in a raid on her family's apartment in Dorvani late on Thursday, her "
        "lawyer said.",
        "Officers from the Interior Ministry's criminal investigation department arrived at about "
        "11:30 p.m. and took Meszen away along with her laptop and mobile phone, lawyer Anton Greve "
        "said. She was being held at police headquarters on Station Road and had not been charged.",
        "\"Darya is a medical student who speaks into a megaphone. She is not a criminal,\" Greve "
        "told The Velorian Times.",
        "The Interior Ministry said in a brief statement that Meszen was being questioned \"in "
        "connection with incitement to violence\" during Tuesday's clashes near the Council of "
        "Ministers, in which two protesters were killed.",
        "Meszen, 23, has become the best-known face of the protest movement. Her speeches in "
        "Amaranth Square have been widely shared on social media.",
        "Hundreds of students gathered outside police headquarters on Friday morning to demand her "
        "release. The Civic Renewal Party called the arrest \"a provocation\" ahead of a march "
        "planned for Saturday.",
        "Prime Minister Corin Haddane said on Friday that \"nobody is above the law\" but that he "
        "had asked the ministry to handle the case \"with the utmost care\".",
    ],
    related=["Death toll disputed after police crack down on fuel march",
             "Who is Daria Meszen?",
             "Opinion: arresting students will not lower fuel prices"],
    comments=204)

art(id="f04", where="feed", outlet="gd", thread="protests", events=["P4"],
    feed_fields=["published", "outlet"],
    url="https://globaldesk.example.net/region/veloria-suspends-fuel-price-rise-protests",
    time="2025-02-17 16:40",
    title="Veloria suspends fuel price rise after weeks of protests",
    byline="Global Desk staff and agencies", dateline="DORVANI, Veloria",
    paras=[
        "Veloria's government on Monday suspended a steep increase in fuel prices for three months, "
        "bowing to more than a week of street protests in which at least two people were killed.",
        "Prime Minister Corin Haddane announced the decision in a televised address after an "
        "emergency cabinet meeting, saying pump prices would return to their January level from "
        "midnight while the government held talks with unions, employers and the opposition.",
        "\"I have heard the anger in our streets. A reform that the people do not understand cannot "
        "succeed,\" Haddane said.",
        "The decision came two days after tens of thousands of people marched in Dorvani and "
        "several other cities, the largest turnout since the protests began on February 8.",
        "The opposition Civic Renewal Party welcomed the suspension as \"a first victory\" but said "
        "protests would continue until the student leader Daria Meszen, arrested last Thursday, "
        "was released.",
        "Analysts said the U-turn could complicate Veloria's talks with foreign lenders, which have "
        "made the end of fuel subsidies a condition for new loans.",
        "The protests erupted after the government cut fuel subsidies on Feb. 1, raising petrol "
        "prices by almost a third overnight.",
        "Separately, the Interior Ministry said an inquiry into the deaths of two protesters on "
        "Feb. 11 would report within 30 days.",
    ],
    related=["Veloria's fuel protests explained", "Markets: Velorian bonds slip on subsidy U-turn"])

# --- Story: Southern Shield air campaign --------------------------------------

art(id="f05", where="feed", outlet="mp", thread="campaign", events=["E1"],
    feed_fields=["title"],
    url="https://www.meridianpress.example/wire/2025/03/03/veloria-air-strike-dar-el-mirah",
    time="2025-03-03 18:48",
    title="Velorian air strike on militant-held town kills 12, army says",
    dateline="QASR TAMUN, Veloria (Meridian Press)",
    paras=[
        "A Velorian air force strike on a Crimson Dawn Front position in the southern town of Dar "
        "el-Mirah on Monday killed at least 12 militants, the army said, as the government opened "
        "what officials described as a new campaign against the group in Sahrat Province.",
        "Army spokesman Brigadier General Tarek Moussan said warplanes hit a building used by the "
        "Front as a command centre and weapons store at about 5 a.m., and that \"a number of field "
        "commanders\" were among the dead.",
        "\"This is the first phase of an operation that will continue until the Front no longer "
        "threatens a single village in Sahrat,\" Moussan told reporters in Dorvani.",
        "Residents of Dar el-Mirah reached by telephone said the strike also destroyed two "
        "neighbouring houses. The Sahrat Monitor for Human Rights said 15 people were killed, "
        "among them three children, and accused the air force of striking a residential area.",
        "There was no immediate comment from the Crimson Dawn Front.",
        "The Front, which says it is fighting for self-rule for Sahrat Province, has been at war "
        "with the government since 2013. It held Dar el-Mirah for five months in 2022 before being "
        "driven out, and has kept a presence in the surrounding hills.",
        "Monday's strike came weeks after gunmen kidnapped a Kestrel engineer on the road near the "
        "town. He was released on Feb. 4.",
    ])

art(id="d09", where="txt", outlet="vt", thread="campaign", events=["E1"],
    url="https://www.velorian-times.example/2025/03/04/air-force-strikes-dar-el-mirah-offensive/",
    time="2025-03-04 07:30", section="Sahrat",
    title="Air force strikes Dar el-Mirah as army launches Sahrat offensive",
    byline="Samir Oudda",
    caption="Smoke rises over Dar el-Mirah after the strike on Monday.",
    credit="Lena Farro/The Velorian Times",
    dateline="QASR TAMUN, Veloria",
    paras=[
        "Velorian warplanes bombed a building in the town of Dar el-Mirah before dawn on Monday, "
        "killing 12 fighters of the Crimson Dawn Front, according to the army, in the first strike "
        "of an offensive that the government says will drive the militants out of southern Veloria.",
        "The strike destroyed a two-storey building near the town's old grain market that the army "
        "said was used as a command post, and damaged several neighbouring homes. Images shared by "
        "residents showed rescuers pulling a body from the rubble as smoke rose behind them.",
        "Defence Minister Idris Kalloum said the operation, which he called Southern Shield, had "
        "been planned for months. \"We have given the Front every chance to lay down its weapons. "
        "That chance is over,\" he told parliament on Monday afternoon.",
        "The Sahrat Monitor for Human Rights, a Qasr Tamun-based group that records casualties in "
        "the province, gave a higher toll of 15 dead, including three children and a woman from a "
        "family living next door. The army's spokesman, Brig. Gen. Tariq Mussan, said all those "
        "killed were militants and that the building had been \"under observation for weeks\".",
        "\"Calling everyone killed in an air strike a militant does not make it so,\" said Nadira "
        "Soum, the Monitor's director.",
        "The CDF said in a statement posted on its messaging channel late on Monday that the "
        "\"crimes of the regime will not go unanswered\" but did not confirm any losses.",
        "Dar el-Mirah, a farming town of about 30,000 people some 70 kilometres southwest of Qasr "
        "Tamun, has changed hands several times during the conflict. The Front overran it in August "
        "2022 and held it until January 2023, when the army retook it after weeks of fighting that "
        "left much of the centre in ruins.",
        "Residents said many families had begun leaving for Qasr Tamun on Monday, fearing further "
        "strikes.",
    ],
    related=["Analysis: what Southern Shield means for Sahrat",
             "Freed Kestrel engineer returns home to Brennmark",
             "Opinion: the south needs schools, not bombs"],
    comments=112)

art(id="d10", where="txt", outlet="so", thread="campaign", events=["E1"],
    url="https://sahrat-online.example/?p=48377",
    time="2025-03-04 16:05",
    title="Dar al Mira mourns: 15 killed in dawn air strike, including children",
    byline="Yara Haddad", dateline="DAR AL MIRA",
    caption="Neighbours search the ruins near the grain market.", credit="Sahrat Online",
    paras=[
        "Residents of Dar al Mira buried their dead on Tuesday after an air strike on Monday morning "
        "that local activists say killed 15 people, including three children.",
        "The strike hit a building near the grain market shortly after 5 a.m. \"We woke up to the "
        "explosion. The windows fell in on us,\" said Umm Khaled, a mother of four who lives two "
        "streets away. \"Then we heard the screaming.\"",
        "The army says the 12 people it killed were all fighters of the Crimson Dawn Front and that "
        "the building was a command post. The Sahrat Monitor for Human Rights says its researchers "
        "counted 15 bodies, among them a family of four who lived next door.",
        "At the town's small hospital, Dr. Basel Hamdan said staff had treated 21 wounded, five of "
        "them seriously. \"We have no fuel for the generator after six in the evening and no blood "
        "bank. We sent the worst cases to Qasr Tamun,\" he said.",
        "Many families are leaving. On the road north to Qasr Tamun on Tuesday, cars and tractors "
        "piled with mattresses queued at the army checkpoint at the edge of town.",
        "The army has said the strike was the first of a campaign against the Front in the "
        "province, which Defence Minister Idris Kalloum has called Southern Shield.",
        "Sahrat Online will keep reporting from Dar al Mira in the coming days.",
    ],
    tags=["Dar al Mira", "Air strikes", "Crimson Dawn Front"], comments=41)

art(id="d11", where="txt", outlet="dp", thread="campaign", events=["E2"],
    url="https://dorvanipost.example.com/news/2025-03-08/car-bomb-checkpoint-qasr-tamun-6012",
    time="2025-03-08 10:15",
    title="Four soldiers killed in car bomb attack on checkpoint near Qasr Tamun",
    byline="Post Reporter", dateline="QASR TAMUN",
    paras=[
        "A suicide bomber drove an explosives-laden car into an army checkpoint on the northern "
        "edge of Qasr Tamun on Friday, killing four soldiers and wounding 11 other people, the "
        "army said.",
        "The attack, on the main road to Dorvani, was the deadliest on the security forces in Sahrat "
        "Province this year. Two of the wounded were civilians waiting in line to pass the "
        "checkpoint, army spokesman Brigadier General Tarek Moussan said.",
        "The Crimson Dawn Front claimed responsibility in a statement, saying the bombing was "
        "revenge for Monday's air strike on Dar el-Mirah, which the army says killed 12 militants.",
        "In the same statement, the Front threatened to carry the war to the capital. \"The "
        "regime's ministers sleep safely in Dorvani. That will not last,\" it said, without giving "
        "details.",
        "Interior Minister Haroun al-Tessaly said security had been stepped up at government "
        "buildings, bus stations and markets in Dorvani. \"We take every threat seriously, but we "
        "will not let these criminals frighten our people,\" he said.",
        "The capital was last hit in November 2024, when a bomb at the central bus station killed "
        "31 people. The Front denied carrying out that attack, which remains unsolved.",
        "Defence Minister Idris Kalloum said the offensive launched on Monday would continue. "
        "\"Every attack like this one only hardens our resolve,\" he said.",
    ],
    related=["Air force strikes Dar el-Mirah as army launches Sahrat offensive",
             "Families flee Dar el-Mirah as offensive begins",
             "Fuel protests: inquiry into deaths to report next month",
             "Sport: Dorvani Athletic top the league"])

# Wire A and its republications (dup group g1)
art(id="f01", where="feed", outlet="mp", thread="campaign", events=["E3"], dup_group="g1",
    feed_fields=["published", "outlet", "title"],
    url="https://www.meridianpress.example/wire/2025/03/14/veloria-air-strikes-sahrat-villages",
    time="2025-03-14 15:05",
    title="Velorian air strikes on two southern villages kill at least 23",
    dateline="BEIT NARUN, Veloria (Meridian Press)",
    paras=WIRE_A)

art(id="d12", where="txt", outlet="vt", thread="campaign", events=["E3"],
    dup_group="g1", duplicate_of="f01",
    url="https://www.velorian-times.example/2025/03/14/jets-pound-villages-near-qasr-tamun/",
    time="2025-03-14 18:20", section="Sahrat",
    title="At least 23 killed as jets pound villages near Qasr Tamun",
    byline="Meridian Press",
    dateline="QASR TAMUN, Veloria (Meridian Press)",
    paras=WIRE_A[:8] + WIRE_A[9:],          # cuts the Monitor's running tally
    related=["Four soldiers killed in car bomb attack near Qasr Tamun",
             "Air force strikes Dar el-Mirah as army launches Sahrat offensive",
             "Map: the front lines in Sahrat"],
    comments=58)

art(id="d13", where="txt", outlet="kh", thread="campaign", events=["E3"],
    dup_group="g1", duplicate_of="f01",
    url="https://www.kestrelherald.example.org/world/air-strikes-southern-veloria-23-killed-b77e12",
    time="2025-03-14 19:00", section="Region",
    title="Air strikes in southern Veloria kill at least 23, officials say",
    dateline="DORVANI, Veloria (MP)",
    paras=WIRE_A[:8] + [
        "Kestrel's Foreign Ministry said it was following events \"with concern\" and repeated its "
        "advice against all travel to Sahrat Province."],
    related=["Refugees from Sahrat arrive at the Brennmark crossing"],
    comments=6)

art(id="d14", where="txt", outlet="gd", thread="campaign", events=["E3"],
    dup_group="g1", duplicate_of="f01",
    url="https://globaldesk.example.net/region/veloria-23-dead-air-strikes-sahrat-villages",
    time="2025-03-15 06:12",
    title="Veloria: 23 dead in air strikes on Sahrat villages",
    byline="Meridian Press", ascii_dash=True,
    dateline="Beit Narun, Veloria (Meridian)",
    paras=[WIRE_A[0], WIRE_A[1], WIRE_A[5], WIRE_A[2], WIRE_A[3], WIRE_A[4]] + WIRE_A[6:],
    related=["Veloria's southern war explained", "Marenthia strikes highland rebel camp"])

art(id="d15", where="txt", outlet="so", thread="campaign", events=["E3"],
    url="https://sahrat-online.example/?p=48511",
    time="2025-03-16 13:30",
    title="Beit Narun buries its dead as toll from Friday's strikes rises to 27",
    byline="Yara Haddad", dateline="BEIT NARUN",
    caption="Mourners carry coffins through Beit Narun on Saturday.", credit="Sahrat Online",
    paras=[
        "Thousands of mourners followed the coffins of those killed in Friday's air strikes "
        "through the streets of Beit Narun on Saturday, as the health directorate raised the toll "
        "from the strikes on the village and on neighbouring Umm Sarai to 27.",
        "Dr. Leila Amrani, head of the provincial health directorate, told Sahrat Online on Sunday "
        "that four of the wounded had died in hospital in Qasr Tamun since Friday, bringing the "
        "number of dead to 27. Fourteen people were still in hospital.",
        "The army has said that the air force targeted gatherings of Crimson Dawn Front fighters. "
        "Residents insist that most of the dead were civilians who had just left the mosque.",
        "\"My brother sold vegetables. He never carried a gun in his life,\" said Mahmoud Saleh, "
        "34, standing beside a freshly dug grave at the edge of the village.",
        "Schools in Beit Narun and Umm Sarai were closed on Sunday and many families had moved to "
        "relatives in Qasr Tamun, fearing more strikes.",
        "The Sahrat Monitor for Human Rights called on the government to allow an independent "
        "investigation. \"Friday was the bloodiest day for civilians in this province since "
        "2022,\" its director Nadira Soum said.",
        "Governor Faisal Dunnar visited the wounded in Qasr Tamun on Saturday and promised "
        "compensation for families whose homes were destroyed, but did not comment on the "
        "circumstances of the strikes.",
    ],
    tags=["Beit Narun", "Umm Sarai", "Air strikes", "Funerals"], comments=63)

art(id="d16", where="txt", outlet="kh", thread="campaign", events=["E4"],
    url="https://www.kestrelherald.example.org/world/velorian-jets-hit-militant-convoy-c93a40",
    time="2025-03-25 08:00", section="Region",
    title="Velorian jets hit militant convoy as Sahrat offensive enters fourth week",
    standfirst="Kestrel offers to host talks as refugees keep crossing the border.",
    dateline="VARNHOLM (KH)",
    paras=[
        "Velorian warplanes struck a convoy of the Crimson Dawn Front in the Wadi Teshal valley in "
        "southern Veloria on Monday, killing nine fighters, the Velorian army said, as an offensive "
        "against the group entered its fourth week.",
        "Brig. Gen. Tarek Moussan, the army's spokesman, said the convoy of five pickup trucks was "
        "hit as it moved towards Dar el-Mirah. \"The Front is trying to regroup. We will not "
        "allow it,\" he said.",
        "The Front said on its messaging channel that six of its fighters had been killed and "
        "called the army's figure \"propaganda\".",
        "More than 80 people have been killed since the offensive, which Velorian officials call "
        "Southern Shield, began on March 3, according to a tally by the Sahrat Monitor for Human "
        "Rights. The deadliest day was March 14, when strikes on the villages of Beit Narun and "
        "Umm Sarai killed 27 people.",
        "In a video message, the Front's leader, Ammar Sefari, threatened to attack \"the economic "
        "lifelines of the regime\", including the oil terminal at Port Almas, if the strikes "
        "continued.",
        "Kestrel Foreign Minister Elske Brandvik called on both sides to \"step back from the "
        "brink\" and said the Kestrel Republic was ready to host talks. \"There is no military "
        "solution in Sahrat. Everyone knows this,\" she told the Kestrel Herald.",
        "Kestrel has taken in about 4,000 refugees from Sahrat since the start of the month, "
        "according to the Interior Ministry in Varnholm.",
    ],
    related=["Analysis: can Kestrel broker peace in Sahrat?"],
    comments=22)

art(id="d17", where="txt", outlet="vt", thread="campaign", events=["E4"],
    url="https://www.velorian-times.example/2025/03/25/nine-front-fighters-killed-wadi-teshal/",
    time="2025-03-25 09:41", section="Sahrat",
    title="Army says nine Front fighters killed in strike on Wadi Teshal convoy",
    byline="Samir Oudda",
    caption="Army vehicles on the road to Dar el-Mirah.", credit="Lena Farro/The Velorian Times",
    dateline="QASR TAMUN, Veloria",
    paras=[
        "An air strike on a convoy in the Wadi Teshal valley on Monday killed nine members of the "
        "Crimson Dawn Front, among them a senior commander, the army said, three weeks into a "
        "government offensive in Sahrat Province.",
        "The army named the commander as Yassin Dabour, known as Abu Layth, whom it accused of "
        "planning the March 7 car bombing of a checkpoint outside Qasr Tamun that killed four "
        "soldiers.",
        "Defence Minister Idris Kalloum said Southern Shield was \"entering its final phase\" and that "
        "the Front had lost \"more than half of its fighting strength\" in the south. His claims "
        "could not be verified.",
        "The Front acknowledged six deaths but denied that Dabour was among them.",
        "According to the Sahrat Monitor for Human Rights, more than 80 people, at least 31 of them "
        "civilians, have been killed since the campaign began on March 3.",
        "Interior Minister Haroun al-Tessaly said on Tuesday that security had been tightened at "
        "the Port Almas oil terminal after the Front's leader threatened to attack \"economic "
        "targets\". \"Every threat is being taken seriously,\" he said.",
        "Relief workers say more than 20,000 people have fled their homes in the province this "
        "month, most of them to Qasr Tamun and to camps near the Kestrel border.",
    ],
    related=["Kestrel offers to host Sahrat talks",
             "Beit Narun: a village counts its dead",
             "Opinion: Southern Shield is not a strategy"],
    comments=87)

# --- Story: Marenthia (same day, same kind, different country) ------------------

art(id="d18", where="txt", outlet="kh", thread="marenthia", events=["M1"],
    url="https://www.kestrelherald.example.org/world/marenthian-jets-strike-highland-rebels-d20f95",
    time="2025-03-15 09:15", section="Region",
    title="Marenthian jets strike highland rebels, killing eight",
    dateline="SOLLIS (KH)",
    paras=[
        "Marenthian air force jets struck positions of the Highland Liberation Army in the Ebron "
        "Highlands on Friday, killing eight rebels, Marenthia's military said, in the heaviest "
        "raid on the separatist group in more than a year.",
        "Colonel Bastien Arvel, the military's spokesman, said the strikes hit a training camp "
        "outside the village of Karsk, about 140 kilometres northeast of the capital, Sollis. \"The "
        "camp was used to prepare attacks on our police stations in the highlands,\" he said.",
        "The HLA said in a statement that 10 of its members had been killed and that a shepherd "
        "and his son were among the wounded.",
        "The Highland Liberation Army has fought since 2016 for the independence of the Ebron "
        "Highlands, a mountainous region whose people mostly speak Ebronese. It carried out an "
        "ambush on a border police patrol in January that killed five officers.",
        "Marenthia's interior minister, Oskar Lehn, said the government remained open to talks "
        "\"the day the HLA hands in its weapons\".",
        "Residents of Karsk said the jets came in low over the valley just after noon and struck "
        "the hillside above the village three times.",
        "The military said all aircraft returned safely to base and that operations in the "
        "highlands would continue \"for as long as necessary\".",
    ],
    related=["Who are the Ebron Highlands rebels?"],
    comments=3)

art(id="f06", where="feed", outlet="sc", thread="marenthia", events=["M1"],
    feed_fields=["published", "outlet", "title"],
    url="https://www.sollis-courier.example/highlands/2025/03/16/karsk-buries-raid-victims",
    time="2025-03-16 11:20",
    title="Highland rebels vow revenge as Karsk buries raid victims",
    dateline="KARSK, Marenthia",
    paras=[
        "Hundreds of people attended funerals in the highland village of Karsk on Saturday for the "
        "victims of Friday's air raid, as the Highland Liberation Army vowed to avenge what it "
        "called a massacre.",
        "The military said eight rebels were killed when jets struck a training camp on a hillside "
        "above the village. The HLA put its losses at 10 and said two civilians, a shepherd and "
        "his teenage son, were wounded.",
        "\"The blood of our comrades will be answered in the valleys and in the cities,\" HLA "
        "commander Aurel Kasch said in an audio message.",
        "Police in Sollis stepped up patrols around government buildings and the central railway "
        "station on Saturday.",
        "Villagers said the camp had been set up in an old sheep farm two years ago and that "
        "fighters often came down to buy bread and fuel.",
        "The Ebron Highlands have seen sporadic fighting since 2016, when the HLA took up arms to "
        "demand independence for the region.",
        "Colonel Bastien Arvel, the military's spokesman, said on Saturday that the army would keep "
        "up the pressure on the rebels and that the raid had been \"carefully prepared to spare "
        "civilians\". He did not comment on the HLA's figures.",
    ])

# --- Story: Lorrin earthquake ---------------------------------------------------

art(id="d19", where="txt", outlet="dp", thread="quake", events=["Q1"], dup_group="g2",
    url="https://dorvanipost.example.com/news/2025-04-09/earthquake-lorrin-province-6530",
    time="2025-04-09 08:30",
    title="Strong earthquake kills at least 37 in Lorrin Province",
    byline="Meridian Press", dateline="HALVIK (Meridian Press)",
    paras=WIRE_B,
    related=["Live: earthquake in Lorrin Province",
             "How to donate to quake victims",
             "Varnholm talks: Kestrel ready to host Sahrat negotiations",
             "Weather: snow in the northern mountains"])

art(id="d20", where="txt", outlet="kh", thread="quake", events=["Q1"],
    dup_group="g2", duplicate_of="d19",
    url="https://www.kestrelherald.example.org/world/quake-northern-veloria-dozens-killed-e5c218",
    time="2025-04-09 10:10", section="Region",
    title="Quake in northern Veloria kills dozens; Kestrel offers rescue teams",
    dateline="HALVIK, Veloria (MP)",
    paras=WIRE_B[:4] + [WIRE_B[6], WIRE_B[5], WIRE_B[4]] + [
        "Kestrel's own seismological service recorded the quake at magnitude 6.3."],
    related=["Live: tremor felt in eastern Kestrel"],
    comments=11)

art(id="d21", where="txt", outlet="so", thread="quake", events=["Q1"],
    dup_group="g2", duplicate_of="d19",
    url="https://sahrat-online.example/?p=48920",
    time="2025-04-10 07:45",
    title="Earthquake in the north: at least 37 dead, hundreds injured",
    byline="Newsroom", dateline="TELL AVRIN, Veloria (Meridian Press)",
    paras=WIRE_B[:6] + [WIRE_B[7],
        "Readers who wish to help can donate through the Velorian Relief Society."],
    tags=["Earthquake", "Lorrin", "Tell Avrin"], comments=5)

art(id="d22", where="txt", outlet="vt", thread="quake", events=["Q1"],
    url="https://www.velorian-times.example/2025/04/11/lorrin-quake-toll-climbs-112/",
    time="2025-04-11 18:05", section="Nation",
    title="Lorrin quake toll climbs to 112 as hopes fade for those still trapped",
    byline="Ilan Sorre",
    caption="Rescuers search a collapsed house in Tell Avrin.", credit="Ilan Sorre/The Velorian Times",
    dateline="TELL AVRIN, Veloria",
    paras=[
        "The death toll from Wednesday's earthquake in Lorrin Province rose to 112 on Friday, the "
        "Civil Protection Agency said, as rescuers with sniffer dogs searched the ruins of Tell "
        "Avrin for a third day with dwindling hope of finding more survivors.",
        "Agency head Mira Castell said 86 of the dead were in Tell Avrin, 19 in the village of "
        "Veyra and seven in smaller hamlets in the hills. More than 430 people were injured and "
        "about 9,000 left homeless, she said.",
        "\"We are now in the phase where every hour counts against us,\" Castell told reporters at "
        "the crisis centre in the town's sports hall.",
        "On Thursday, rescuers pulled a seven-year-old girl alive from the rubble of a school in "
        "Veyra, more than 30 hours after the quake. Her rescue was broadcast live on state "
        "television and greeted with applause by the crowd that had gathered.",
        "Survivors prepared for a third night in tents on the football pitch in Tell Avrin, where "
        "temperatures have dropped below freezing after dark.",
        "Residents criticised the slow arrival of aid. \"Yesterday we got bread for the first "
        "time. Two days we waited,\" said Goran Ivel, 52, whose house collapsed.",
        "Search teams from the Kestrel Republic arrived in Halvik on Thursday with dogs and heavy "
        "lifting gear. Interior Minister Haroun al-Tessaly, who toured the area on Thursday, "
        "promised that the state would rebuild every house that had been destroyed.",
        "The quake, of magnitude 6.4, struck at 4:12 a.m. on Wednesday about 12 kilometres "
        "southeast of Tell Avrin.",
    ],
    related=["Live: earthquake in Lorrin Province",
             "The girl from Veyra: 30 hours under the rubble",
             "Why Lorrin's stone houses fall"],
    comments=46)

art(id="f07", where="feed", outlet="vna", thread="quake", events=["Q2", "Q1"],
    feed_fields=["published"],
    url="https://www.vna.example/en/news/2025/04/13/aftershock-halvik-1342",
    time="2025-04-13 12:05",
    title="Strong aftershock kills three in Halvik; quake toll reaches 148",
    dateline="Dorvani, April 13 (VNA)",
    paras=[
        "A strong aftershock of magnitude 5.1 shook Lorrin Province on Saturday evening, killing "
        "three people in the provincial capital, Halvik, when a damaged apartment block collapsed, "
        "the Civil Protection Agency said on Sunday.",
        "The agency said the death toll from Wednesday's magnitude 6.4 earthquake had meanwhile "
        "risen to 148, with 512 people injured.",
        "The aftershock struck at 7:48 p.m. on Saturday about 20 kilometres north of Tel Avrin. "
        "The three victims, a couple and their adult son, had returned to their apartment to "
        "collect belongings, the agency said.",
        "Agency head Mira Castell urged residents not to enter buildings that had not yet been "
        "inspected by engineers.",
        "President Mikail Orsadi, who visited Tell Avrin and Veyra on Saturday, announced a "
        "reconstruction fund and said the first new homes would be ready before winter.",
        "Rescue teams from the Kestrel Republic ended their mission on Sunday.",
        "More than 11,000 people are living in tents or with relatives, according to the Velorian "
        "Relief Society, which appealed for blankets and heaters as night temperatures in the "
        "mountains remain below freezing.",
    ],
    tags=["Lorrin", "earthquake", "Halvik", "Civil Protection"])

# --- Story: Varnholm talks and ceasefire -----------------------------------------

art(id="d23", where="txt", outlet="kh", thread="ceasefire", events=["C1"],
    url="https://www.kestrelherald.example.org/world/veloria-crimson-dawn-talks-varnholm-f01b66",
    time="2025-05-06 20:30", section="Kestrel",
    title="Veloria and Crimson Dawn rebels open first direct talks in Varnholm",
    caption="Delegates arrive at the Foreign Ministry guesthouse on the Varn river.",
    credit="Eike Strand / Kestrel Herald",
    dateline="VARNHOLM (KH)",
    paras=[
        "Delegations of the Velorian government and the Crimson Dawn Front sat down on Tuesday for "
        "their first direct talks in more than a decade, at a meeting in Varnholm hosted by the "
        "Kestrel Republic.",
        "The government delegation is led by Interior Minister Haroun Al Tessaly. The Front sent "
        "a five-member team headed by its political chief, Murad Kessan. Foreign Minister Elske "
        "Brandvik opened the meeting at the Foreign Ministry guesthouse on the Varn river.",
        "\"Nobody should expect miracles this week. But the fact that these two delegations are "
        "sitting at the same table is already something that seemed impossible two months ago,\" "
        "Brandvik said.",
        "Tuesday's session lasted about six hours and will resume on Wednesday, a Kestrel official "
        "said.",
        "The meeting follows the Velorian army's offensive against the Front in Sahrat Province, "
        "which killed more than 100 people in March and April, according to the Sahrat Monitor for "
        "Human Rights. Both sides have largely held their fire since the Lorrin earthquake of "
        "April 9, after which the Front announced a pause in its attacks.",
        "Kessan told reporters that the Front had \"come to Varnholm to talk about the rights of the "
        "people of Sahrat, not to surrender\".",
        "Tessaly said the government was ready \"to discuss everything except the unity of "
        "Veloria\".",
    ],
    related=["Refugees from Sahrat wait for news of peace in border camps"],
    comments=31)

art(id="d24", where="txt", outlet="dp", thread="ceasefire", events=["C1"],
    url="https://dorvanipost.example.com/news/2025-05-07/opposition-wary-varnholm-talks-7120",
    time="2025-05-07 18:00",
    title="Opposition wary as al-Tessali leads government team at Varnholm talks",
    byline="Nadia Ferrat", dateline="DORVANI",
    paras=[
        "Opposition leaders in Dorvani on Wednesday cautiously welcomed the start of talks between "
        "the government and the Crimson Dawn Front in the Kestrel capital, Varnholm, but warned "
        "against any deal that would \"reward violence\".",
        "The talks opened on Tuesday with a six-hour session chaired by Kestrel Foreign Minister "
        "Elske Brandvik. The government team is headed by Interior Minister Haroun al-Tessali, who "
        "has led the crackdown on the Front for the past two years.",
        "\"We want peace in Sahrat more than anyone. But we will not accept a deal written in "
        "secret,\" Civic Renewal Party leader Tomas Ilvane said, adding that any agreement must be "
        "approved by parliament.",
        "Prime Minister Corin Haddane said on Wednesday that parliament would have the final word "
        "on any settlement.",
        "In Qasr Tamun, residents said they were hopeful. \"For the first time in years, people are "
        "talking about the future and not about the last funeral,\" said shopkeeper Nabil Ferran.",
        "The CDF delegation is led by Murad Kessan, the group's political chief, who spent eight "
        "years in a Velorian prison before being released in 2021.",
        "The Varnholm meeting follows the army's Southern Shield offensive in March, in which, "
        "according to the Sahrat Monitor for Human Rights, more than 80 people were killed.",
    ],
    related=["Veloria and Crimson Dawn open talks in Kestrel capital",
             "Who is Murad Kessan?",
             "Lorrin rebuilding: first families move into new homes",
             "Sport: Port Almas hold Dorvani Athletic to a draw"])

art(id="d25", where="txt", outlet="vt", thread="ceasefire", events=["C2"],
    url="https://www.velorian-times.example/2025/05/21/ceasefire-signed-varnholm/",
    time="2025-05-21 08:02", section="Nation",
    title="Government and Crimson Dawn Front sign 90-day ceasefire in Varnholm",
    byline="Samir Oudda in Varnholm",
    caption="Haroun al-Tessaly and Murad Kessan after the signing.",
    credit="Samir Oudda/The Velorian Times",
    dateline="VARNHOLM, Kestrel Republic",
    paras=[
        "The Velorian government and the Crimson Dawn Front signed a 90-day ceasefire in the "
        "Kestrel capital on Tuesday, the first agreement between the two sides since the "
        "insurgency in Sahrat Province began in 2013.",
        "Interior Minister Haroun al-Tessaly and the Front's political chief, Murad Kessan, signed "
        "the document in the presence of Kestrel Foreign Minister Elske Brandvik, who had hosted "
        "two weeks of talks.",
        "Under the agreement, both sides will halt all attacks from midnight on Thursday. The Front "
        "will withdraw its fighters from positions around Dar al-Mirah, and the government will "
        "suspend air strikes and release 120 detainees. A joint committee with Kestrel observers "
        "will monitor the truce.",
        "\"Today we chose our children's future over our grievances,\" Tessaly said after the "
        "signing. Kessan said the Front would respect the truce \"as long as the other side "
        "respects it\".",
        "Talks on a permanent settlement, including the Front's demand for self-rule, are due to "
        "start in Varnholm in mid-June.",
        "The agreement comes two months after the army's air campaign in the south, which killed "
        "more than 80 people in March alone.",
        "In Qasr Tamun, hundreds of people celebrated in the streets on Tuesday night, honking car "
        "horns and waving flags.",
    ],
    related=["Full text: the Varnholm ceasefire agreement",
             "Opinion: a truce is not yet peace",
             "Who will watch the ceasefire?"],
    comments=398)

art(id="d26", where="txt", outlet="so", thread="ceasefire", events=["C3"],
    url="https://sahrat-online.example/?p=49377",
    time="2025-05-29 09:20",
    title="Mortar fire on Qasr Tamun kills two, first breach of Varnholm truce",
    byline="Newsroom", dateline="",
    paras=[
        "Two civilians were killed when mortar shells landed on a residential district on the "
        "southern edge of Qasr Tamun on Wednesday evening, the first deadly violation of the "
        "ceasefire signed in Varnholm last week.",
        "The shells hit the Ain Jadida neighbourhood shortly after 8 p.m., killing a 60-year-old man "
        "and his grandson and wounding five other people, the provincial health directorate said.",
        "The army blamed the Crimson Dawn Front. \"Four mortar rounds were fired from the hills south "
        "of the city, an area under the Front's control,\" army spokesman Brig. Gen. Moussan said.",
        "The Front denied firing the shells and accused \"parties who want the agreement to fail\" "
        "of the attack. Its political chief, Murad Kessan, said the Front remained committed to "
        "the truce.",
        "Interior Minister Tessaly said the government would raise the incident with the joint "
        "monitoring committee and would not respond militarily \"for now\". \"The ceasefire holds. "
        "We will not let a few shells destroy it,\" he said.",
        "Kestrel observers visited the site on Thursday morning.",
        "\"We thought the war was over last week. We put the children back in school,\" said Samira "
        "Haddad, a neighbour of the victims.",
    ],
    tags=["Qasr Tamun", "Ceasefire", "Ain Jadida"], comments=17)

# --- Story: Kestrel election (singleton) ------------------------------------------

art(id="f08", where="feed", outlet="kh", thread="election", events=["L1"],
    feed_fields=["published"],
    url="https://www.kestrelherald.example.org/kestrel/aalmo-unity-party-wins-election-a90d31",
    time="2025-06-02 07:00", section="Kestrel",
    title="Aalmo's Unity Party wins Kestrel election but falls short of majority",
    dateline="VARNHOLM (KH)",
    paras=[
        "Prime Minister Hendrik Aalmo's Unity Party won Sunday's parliamentary election with 38.4 "
        "percent of the vote but fell short of a majority, final results showed on Monday, "
        "leaving him to seek a coalition partner for a third term.",
        "The Green Coast alliance came second with 24.1 percent, followed by the Farmers' League "
        "with 13.7 percent. Turnout was 71 percent, the electoral commission said.",
        "\"The people of Kestrel have asked us to govern, and they have asked us to listen,\" Aalmo "
        "told supporters in Varnholm in the early hours of Monday.",
        "The Unity Party lost nine of its 61 seats in the 140-member parliament. Aalmo is expected "
        "to open talks with the Farmers' League this week.",
        "Foreign Minister Elske Brandvik, who hosted last month's talks between the Velorian "
        "government and the Crimson Dawn Front, kept her seat in Varnholm.",
        "The campaign was dominated by housing costs and by the arrival of refugees from "
        "neighbouring Veloria's Sahrat Province.",
        "Aalmo, 58, has led the government since 2017. Observers from the Council of Northern "
        "States said the vote had been orderly and well run.",
    ],
    related=["Results map: how Kestrel voted"],
    comments=52)

# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------


def render(a):
    return OUTLETS[a["outlet"]][1](a)


def find_aliases(text):
    """Canonical names mentioned in text and the [surface, canonical] pairs used."""
    surfaces = []
    for canon, (kind, alts) in ALIASES.items():
        surfaces.append((canon, canon, kind))
        surfaces += [(s, canon, kind) for s in alts]
    surfaces.sort(key=lambda t: -len(t[0]))   # longest first, then mask
    taken = [False] * len(text)
    found = {"people": [], "orgs": [], "places": []}
    pairs = []
    for surf, canon, kind in surfaces:
        for m in re.finditer(r"(?<![\w-])" + re.escape(surf) + r"(?![\w-])", text):
            if any(taken[m.start():m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            if canon not in found[kind]:
                found[kind].append(canon)
            if surf != canon and [surf, canon] not in pairs:
                pairs.append([surf, canon])
    return found, pairs


def content(a):
    """The article itself (headline, dateline, paragraphs), without page boilerplate."""
    return "\n".join([a["title"], a.get("dateline") or ""] + list(a["paras"]))


def published(a):
    return a["time"][:10]


def label(a, text):
    mentions, pairs = find_aliases(text)
    evs = []
    for k in a["events"]:
        e = EVENTS[k]
        loc = e["location"]
        first = loc[0] if isinstance(loc, list) else loc
        evs.append({"event_key": k, "date": e["date"], "type": e["type"],
                    "actor": e["actor"], "target": e["target"], "location": loc,
                    "coords": list(COORDS[first]) if first in COORDS else None,
                    "killed": e["killed"], "killed_alt": e.get("killed_alt", [])})
    return {"id": a["id"], "url": a["url"], "outlet": OUTLETS[a["outlet"]][0],
            "thread": a["thread"], "published": published(a), "events": evs,
            "mentions": mentions, "aliases": pairs, "dup_group": a.get("dup_group"),
            "duplicate_of": a.get("duplicate_of")}


def check(texts):
    ids = [a["id"] for a in ARTICLES]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for a in ARTICLES:
        assert a["thread"] in THREADS, a["id"]
        for k in a["events"]:
            assert k in EVENTS, (a["id"], k)
        n = len(texts[a["id"]].encode())
        assert 1200 <= n <= 6000, (a["id"], n)
        assert "2025-01-01" <= published(a) <= "2025-06-30"
        if a.get("duplicate_of"):
            root = next(b for b in ARTICLES if b["id"] == a["duplicate_of"])
            assert root.get("dup_group") == a["dup_group"]
            assert published(root) <= published(a)
    assert texts["d07"] == texts["f03"], "exact duplicate must be byte-identical"
    per_outlet = {}
    for a in ARTICLES:
        per_outlet[a["outlet"]] = per_outlet.get(a["outlet"], 0) + 1
    assert sum(1 for n in per_outlet.values() if n >= 4) >= 4, per_outlet


def main():
    os.makedirs(os.path.join(HERE, "scraped"), exist_ok=True)
    texts = {a["id"]: render(a) for a in ARTICLES}
    check(texts)
    feed, labels = [], []
    for a in ARTICLES:
        t = texts[a["id"]]
        if a["where"] == "txt":
            with open(os.path.join(HERE, "scraped", a["id"] + ".txt"), "w", encoding="utf-8") as f:
                f.write(t)
        else:
            row = {"id": a["id"], "url": a["url"], "text": t}
            for k in a.get("feed_fields", []):
                row[k] = {"published": published(a), "outlet": OUTLETS[a["outlet"]][0],
                          "title": a["title"]}[k]
            feed.append(row)
        labels.append(label(a, content(a)))
    with open(os.path.join(HERE, "feed.jsonl"), "w", encoding="utf-8") as f:
        for row in feed:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "labels.jsonl"), "w", encoding="utf-8") as f:
        for row in sorted(labels, key=lambda r: r["id"]):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    with open(os.path.join(HERE, "gazetteer.tsv"), "w", encoding="utf-8") as f:
        f.write("name\talternate_names\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\n")
        for p in PLACES:
            f.write("\t".join([p[0], ",".join(p[1]), p[2], p[3], p[4],
                               f"{p[5]:.3f}", f"{p[6]:.3f}", str(p[7])]) + "\n")
    if "--tables" in sys.argv:
        tables(texts)
    print(f"{len(ARTICLES)} articles ({sum(a['where'] == 'txt' for a in ARTICLES)} txt, "
          f"{len(feed)} feed), {len(EVENTS)} events, {len(THREADS)} stories", file=sys.stderr)


def tables(texts):
    """Markdown tables for README.md (articles, events), printed to stdout."""
    if True:
        print("| id | file | outlet | published | story | events | dup group | duplicate_of | bytes |")
        print("|---|---|---|---|---|---|---|---|---|")
        for a in sorted(ARTICLES, key=lambda a: (published(a), a["time"], a["id"])):
            where = f"scraped/{a['id']}.txt" if a["where"] == "txt" else "feed.jsonl"
            print(f"| {a['id']} | {where} | {OUTLETS[a['outlet']][0]} | {published(a)} | "
                  f"{a['thread']} | {', '.join(a['events'])} | {a.get('dup_group') or '—'} | "
                  f"{a.get('duplicate_of') or '—'} | {len(texts[a['id']].encode())} |")
        print()
        print("| event | story | date | type | actor | target | location | killed (gold) | other figures | articles |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        fmt = lambda v: " / ".join(v) if isinstance(v, list) else (v if v is not None else "—")
        for k, e in EVENTS.items():
            arts = [a["id"] for a in ARTICLES if k in a["events"]]
            th = next(a["thread"] for a in ARTICLES if k in a["events"])
            print(f"| {k} | {th} | {e['date']} | {fmt(e['type'])} | {fmt(e['actor'])} | "
                  f"{fmt(e['target'])} | {fmt(e['location'])} | "
                  f"{e['killed'] if e['killed'] is not None else '—'} | "
                  f"{', '.join(map(str, e.get('killed_alt', []))) or '—'} | {', '.join(arts)} |")


if __name__ == "__main__":
    main()
