"""Engine speed on this machine: check() latency, nlp.pipe throughput, start-up time, memory.

Run: python benchmarks/bench_engine.py [--notes 10000]
Prints figures; asserts nothing (targets: goal <= 2 ms and note <= 5 ms median, a 600-word plan
<= 20 ms median, >= 1,000 notes/s through nlp.pipe, start-up <= 1.5 s, RSS <= 250 MB).
"""
from __future__ import annotations

import argparse
import re
import resource
import statistics
import subprocess
import sys
import time

WORD = re.compile(r"\w+")
GOAL = ("Jasmine will attend HSE classes every Monday and Wednesday night from 6-8 p.m. at EdAcademy "
        "for 3 months, and will take and pass the TASC test by June 2016 with support from her aunt.")
NOTE = ("S: Client arrived on time and brought her pay stubs and her lease. She has strong support from her "
        "aunt, who drove her to the appointment. O: CM met with client at the Bronx office on 3/4 for 45 "
        "minutes to review her ISP goal of securing stable housing by June. Client stated \"I want my own "
        "place before the baby comes\". She submitted two apartment applications since the last session and "
        "called the HRA office about her voucher. CM called the landlord at 1420 Grand Concourse and faxed "
        "the voucher paperwork. A: Client is on track to secure housing by June as evidenced by two "
        "applications and a voucher interview set for 3/12. She remains at risk of losing her shelter bed if "
        "she misses curfew. D: Voucher amount is $1,850 per month; court date for the custody hearing set for "
        "4/2. P: CM will call the voucher office by Friday 3/7; client will bring her birth certificate to the "
        "next session on 3/11 and will attend the housing workshop every Tuesday.")


# Four more goals with their steps after the shipped sample plan (Mr. Jones, 001): a plan of about 600 words.
MORE_GOALS = """
3) Mr. Jones will reconnect with his daughter Julissa by attending every scheduled visit for the next 3 months.
- Mr. Jones will ask his sister to lend him bus fare each Friday until his first paycheck.
- CM will call the visitation coordinator by 2/15 to confirm the Saturday schedule.
4) Mr. Jones will pay $50 a month toward his child support arrears starting April 2016.
- Mr. Jones will meet with the child support office on 3/20 to set up the payment plan.
- CM will help him open a bank account at the credit union on Southern Boulevard by 3/31.
5) Mr. Jones will find his own apartment by December 2016.
- He will save $100 from each paycheck in the new account.
- He will attend the housing readiness workshop every other Wednesday at Project H.O.P.E.
- CM will refer him to two affordable-housing lotteries by May 1, 2016.
6) Mr. Jones will keep his computer skills current while he looks for work.
- He will complete one online course module every week at the Hunts Point library, which lends laptops.
- He will show the completed modules to CM at each monthly meeting.
7) Mr. Jones will get his learner's permit by June 2016 so that he can apply for delivery jobs.
- He will study the driver's manual for 30 minutes every evening after his HSE class.
- He will take two practice tests online each week and bring his scores to CM.
- CM will help him gather his birth certificate, Social Security card and proof of address by 4/15.
- He will schedule the permit test at the DMV office on Fordham Road once he scores 90% twice in a row.
8) Mr. Jones will manage the stress of the job search with the support of his mother and sisters.
- He will call his mother every Sunday evening to talk about the week.
- He will join the fathers' support group at the community center on the first Monday of each month.
- CM will check in with him by phone every Thursday for 15 minutes until he starts work.
- If he misses two visits with Julissa in a row, CM will meet with him within one week to adjust the plan.
"""


def plan_text() -> str:
    """The shipped sample plan with more goals after its short-term goals: about 600 words."""
    from checker.resources import sample_drafts
    plan = sample_drafts()["plan"]
    cut = plan.index("Long-Term Goals:")
    return plan[:cut] + MORE_GOALS.strip() + "\n\n" + plan[cut:]


def timings(fn, n: int) -> tuple[float, float, float]:
    """Median and 99th percentile wall-clock milliseconds over n calls, and the median CPU time
    (less disturbed by other work on a shared machine)."""
    samples, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1], statistics.median(cpu)


def startup() -> float:
    """Seconds for a fresh process to import casecoach, build the pipeline and check one goal."""
    code = "import checker; checker.check('Client will attend class daily.')"
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=10_000)
    args = parser.parse_args()
    start = min(startup() for _ in range(3))
    import checker
    from checker.annotate.pipeline import build_nlp
    checker.check(GOAL), checker.check(NOTE)
    print(f"goal words: {len(GOAL.split())}, note words: {len(NOTE.split())}")
    g50, g99, gcpu = timings(lambda: checker.check(GOAL), 500)
    n50, n99, ncpu = timings(lambda: checker.check(NOTE), 500)
    print(f"check() goal: median {g50:.2f} ms, p99 {g99:.2f} ms (CPU median {gcpu:.2f} ms)")
    print(f"check() note: median {n50:.2f} ms, p99 {n99:.2f} ms (CPU median {ncpu:.2f} ms)")
    plan = plan_text()
    parts = len(checker.check(plan).parts)
    p50, p99, pcpu = timings(lambda: checker.check(plan), 200)
    print(f"check() plan of {len(plan.split())} words, {parts} goals: median {p50:.2f} ms, p99 {p99:.2f} ms "
          f"(CPU median {pcpu:.2f} ms)")
    nlp = build_nlp()
    t = time.perf_counter()
    for _ in nlp.pipe([NOTE] * args.notes, batch_size=256):
        pass
    pipe_rate = args.notes / (time.perf_counter() - t)
    print(f"nlp.pipe: {pipe_rate:,.0f} notes/s over {args.notes:,} notes")
    # Distinct notes (the sample with a running number), so nothing is answered from a cache.
    notes = [f"{NOTE} Note {n}." for n in range(args.notes // 2)]
    t = time.perf_counter()
    for _ in checker.check_many(notes):
        pass
    one = len(notes) / (time.perf_counter() - t)
    t = time.perf_counter()
    for _ in checker.check_many(notes, n_process=2):
        pass
    two = len(notes) / (time.perf_counter() - t)
    t = time.perf_counter()
    words = sum(len(WORD.findall(text)) for text in notes)
    regex_rate = len(notes) / (time.perf_counter() - t)
    t = time.perf_counter()
    for _ in nlp.tokenizer.pipe(notes):
        pass
    tokenizer_rate = len(notes) / (time.perf_counter() - t)
    print(f"check_many (pipeline + criteria + feedback): {one:,.0f} notes/s in 1 process, {two:,.0f} notes/s "
          f"with n_process=2 ({two / one:.2f}x)")
    print(f"check_many costs {regex_rate / one:.0f}x one regular-expression word pass over the same notes "
          f"({words:,} words) and {tokenizer_rate / one:.1f}x spaCy's tokenizer alone")
    print(f"start-up (fresh process, first goal checked): {start:.2f} s")
    print(f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
