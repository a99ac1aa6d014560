#!/usr/bin/env python3
"""Writes a long synthetic briefing pack: the stress test of the layout
tests and of scripts/bench. Deterministic: the same arguments always give
the same files.

Each section has paragraphs of varied length (one cites a statistic, some
carry footnotes, some a long URL), and in turn a subsection, a nested
list, a block quote and a long table with wrapping cells. The prose holds
no digits: every figure comes from a statistic, so `briefkit check` has
nothing to say. About 1.1 sections fill a page of A4.

Usage: scripts/synthetic_report.py DIR [--sections N] [--toc]
"""
import argparse
import os

WORDS = (
    "the field teams reported that shelters along the border received more people than "
    "planned while local authorities coordinated transport health care and legal advice "
    "for families who arrived without documents many of them children travelling alone "
    "and the partners agreed that protection screening should begin at the first point of "
    "contact rather than after registration because trafficking networks recruit quickly "
    "in bus stations markets and informal crossings where information is scarce and "
    "rumours spread faster than official notices so outreach workers now visit these "
    "places every week with leaflets in several languages and a telephone line that "
    "answers day and night consular officials described cooperation agreements with "
    "neighbouring countries prosecutors explained why so few investigations reach a "
    "courtroom and survivors asked for long term support including housing schooling "
    "employment and psychological care international organisations committed funding "
    "for training municipal staff to recognise indicators of exploitation"
).split()


def name(n):
    """A number spelled with letters (A, B, ... Z, BA, ...)."""
    out = ""
    while True:
        out = chr(ord("A") + n % 26) + out
        n //= 26
        if n == 0:
            return out


class Rng:
    """A small linear congruential generator: same seed, same report."""

    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2**64
        return (self.state >> 33) % n


def sentence(rng, length):
    words = [WORDS[rng.next(len(WORDS))] for _ in range(length)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def prose(rng, sentences):
    return " ".join(sentence(rng, 8 + rng.next(18)) for _ in range(sentences))


def write(path, sections, toc):
    os.makedirs(path, exist_ok=True)
    rng = Rng(2026)
    with open(os.path.join(path, "brief.toml"), "w") as f:
        f.write(
            '[brief]\ntitle = "A long synthetic report on protection at the border"\n'
            'subtitle = "Generated text for layout and speed tests"\n'
            'organization = "Test Org"\ndate = "2026-01-01"\n'
        )
        if toc:
            f.write("\n[output]\ntoc = true\n")
    units = ["cases", "people", "%", "km", "shelters"]
    with open(os.path.join(path, "stats.csv"), "w") as f:
        f.write("id,value,unit,label,period,source,source_url\n")
        for i in range(60):
            unit = units[i % len(units)]
            value = (i * 7) % 100 if unit == "%" else 1000 + i * 37
            f.write(
                f"s{i},{value},{unit},Measure {name(i)} of the border survey,2025,"
                f"Agency {name(i % 7)},https://example.org/data/series/{i}\n"
            )
    parts = ["This report is generated. " + prose(rng, 6) + "\n\n"]
    note = 0
    for s in range(sections):
        parts.append(f"## Section {name(s)}: {sentence(rng, 3 + rng.next(5))[:-1]}\n\n")
        for p in range(2 + rng.next(4)):
            text = prose(rng, 1 + rng.next(7))
            if p == 0:
                text += f" The survey counted {{{{stat \"s{(s * 3 + p) % 60}\"}}}} in this area."
            if rng.next(2) == 0:
                note += 1
                text += f"[^n{note}]"
                parts.append(f"[^n{note}]: {prose(rng, 1 + rng.next(2))}\n\n")
            if rng.next(6) == 0:
                text += (
                    " The full notes are at https://example.org/reports/border/protection/"
                    f"annex/{name(s)}/a-very-long-path-that-has-no-spaces-and-must-still-fit-the-measure."
                )
            parts.append(text + "\n\n")
        if s % 2 == 1:
            parts.append(f"### What the teams saw in {name(s)}\n\n{prose(rng, 3)}\n\n")
        if s % 4 == 2:
            parts.append(
                f"- {sentence(rng, 6)}\n- {sentence(rng, 12)}\n"
                f"  - {sentence(rng, 5)}\n  - {sentence(rng, 9)}\n"
                f"- {sentence(rng, 7)}\n\n"
                f"1. {sentence(rng, 5)}\n2. {sentence(rng, 10)}\n3. {sentence(rng, 4)}\n\n"
            )
        if s % 5 == 4:
            parts.append(f"> {prose(rng, 3)}\n\n")
        if s % 3 == 0:
            parts.append("| District | Measure | Remark |\n|:--|--:|:--|\n")
            for r in range(25 + rng.next(30)):
                parts.append(
                    f"| District {name(r)} | {{{{stat \"s{r % 60}\"}}}} | "
                    f"{sentence(rng, 3 + rng.next(12))} |\n"
                )
            parts.append("\n")
    with open(os.path.join(path, "article.md"), "w") as f:
        f.write("".join(parts))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--sections", type=int, default=180)
    ap.add_argument("--toc", action="store_true")
    a = ap.parse_args()
    write(a.dir, a.sections, a.toc)


if __name__ == "__main__":
    main()
