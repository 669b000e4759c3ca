"""Write N synthetic progress notes and plans (about 150 words each) as a CSV export, for benchmarks and tests.

Usage: python benchmarks/make_notes.py 100000 notes.csv [--seed 1]
"""
from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta

OPENINGS = ["Met with {c} at the office on {d} for 45 minutes.", "Home visit with {c} and her mother on {d}.",
            "Phone call with {c} on {d} for 20 minutes.", "Met {c} at school on {d} during lunch."]
BODY = [
    "{c} stated that she wants to finish her HSE by June and asked about the evening class schedule.",
    "{c} brought her pay stub and the lease renewal letter; the rent increase is $75 a month.",
    "She completed the job application for the warehouse position and submitted it online during the session.",
    "CM called the HSE program and scheduled the intake appointment for Tuesday 3/11 at 10 am.",
    "{c} seemed unmotivated and I feel she is not trying hard enough with her classes.",
    "She reported that her son attended school every day this week and his teacher sent a positive note.",
    "{c} was non-compliant with her medication plan according to the clinic.",
    "CM gave {c} a referral to the food pantry and helped her complete the SNAP recertification form.",
    "{c} scored 68 on the TABE reading test, up from 61 in January.",
    "She talked about stress at home and said that she sleeps about five hours a night.",
    "{c} is on track toward her employment goal, as shown by two completed applications this week.",
    "We discussed her goals and reminded her about the next meeting.",
    "{c} remains at risk of eviction until the arrears of $420 are paid.",
    "She has a strong support network: her aunt watches the children on class nights.",
]
PLANS = ["By {d}, {c} will attend the HSE class every Monday and Wednesday at the Bronx Learning Center "
         "for 3 months and pass the practice test with a score of 145 or more.",
         "{c} will look for a job.",
         "CM will help {c} submit five job applications each week through the Capricorn workforce program "
         "until she is hired, building on her retail experience."]
CLOSINGS = ["CM will follow up with {c} by Friday {d} to confirm the appointment.", "CM will follow up soon.",
            "Next meeting is scheduled for next week to review the plan toward her HSE goal."]


def note(rng: random.Random, client: str, when: date) -> str:
    """One progress note of about 150 words, mixing good and weak practice."""
    fmt = {"c": client, "d": f"{when.month}/{when.day}"}
    parts = [rng.choice(OPENINGS)] + rng.sample(BODY, 8) + [rng.choice(CLOSINGS)]
    return " ".join(p.format(**fmt) for p in parts)


def rows(n: int, seed: int = 1):
    """Yield n export rows: ~90% notes, ~10% plans, 40 workers in 4 programs, 8 documents per client."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    for i in range(n):
        client = f"C{i // 8:06d}"
        name = rng.choice(["Maria", "Jasmine", "Ana", "Keisha", "Rosa", "Tanya"])
        when = start + timedelta(days=(i % 8) * rng.randint(5, 20) + (i // 8) % 200)
        contact = when - timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5]))
        is_plan = i % 8 in (0, 5)
        worker = f"W{(i // 8) % 40:02d}"
        text = rng.choice(PLANS).format(c=name, d=f"{when.month}/{when.day}") if is_plan else note(rng, name, when)
        yield {"note_id": f"N{i:07d}", "case_manager": worker, "program": f"P{int(worker[1:]) % 4}",
               "client_id": client, "note_date": when.isoformat(), "contact_date": contact.isoformat(),
               "type": "plan" if is_plan else "progress note", "note_text": text}


def write_csv(path: str, n: int, seed: int = 1) -> None:
    """Write the rows to a CSV file."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = None
        for row in rows(n, seed):
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    write_csv(args.out, args.n, args.seed)
