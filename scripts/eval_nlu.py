"""Intent F1 per language on a held-out split: train on 80% of data/nlu, test on the other 20%.

Run: .venv/bin/python scripts/eval_nlu.py [--test-fraction 0.2] [--seed 7]
Prints one row per language and writes results/nlu_eval.json. Not a test: a figure for the team.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("nl", "fr", "de")


def split(language: str, fraction: float, rng: random.Random) -> Tuple[Dict[str, List[str]], List[Tuple[str, str]]]:
    """Hold out a fraction of each intent's examples of one language."""
    doc = yaml.safe_load((ROOT / "data" / "nlu" / f"{language}.yml").read_text(encoding="utf-8"))
    train: Dict[str, List[str]] = {}
    test: List[Tuple[str, str]] = []
    for block in doc["nlu"]:
        examples = [line.strip()[2:] for line in block["examples"].splitlines() if line.strip()]
        rng.shuffle(examples)
        cut = max(1, int(round(len(examples) * fraction)))
        test += [(text, block["intent"]) for text in examples[:cut]]
        train.setdefault(block["intent"], []).extend(examples[cut:])
    return train, test


def write_nlu(path: Path, data: Dict[str, List[str]]) -> None:
    blocks = [{"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)} for intent, texts in data.items()]
    path.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True, sort_keys=False))


NOT_UNDERSTOOD = {"nlu_fallback", "out_of_scope"}
THRESHOLDS = (0.3, 0.35, 0.4, 0.45, 0.5, 0.6)


async def predict(model: str, texts: List[str]) -> List[Tuple[str, List[Tuple[str, float]]]]:
    """Return the served intent and DIET's own ranking (without the fallback) for each text."""
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    results = []
    for text in texts:
        parsed = await agent.parse_message(text)
        ranking = [(r["name"], r["confidence"]) for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback"]
        results.append((parsed["intent"]["name"], ranking))
    return results


def with_threshold(ranking: List[Tuple[str, float]], threshold: float, ambiguity: float) -> str:
    """Replay the FallbackClassifier's decision for another threshold."""
    (top, first), second = ranking[0], (ranking[1][1] if len(ranking) > 1 else 0.0)
    return "nlu_fallback" if first < threshold or first - second < ambiguity else top


def sweep(gold: List[str], rankings: List[List[Tuple[str, float]]], ambiguity: float) -> Dict[str, Dict[str, float]]:
    """For each threshold: how often the persona would ask to repeat, and how often it would answer wrongly."""
    table = {}
    for threshold in THRESHOLDS:
        served = [with_threshold(r, threshold, ambiguity) for r in rankings]
        asked = sum(s in NOT_UNDERSTOOD and g not in NOT_UNDERSTOOD for g, s in zip(gold, served))
        wrong = sum(s != g and not (s in NOT_UNDERSTOOD and g in NOT_UNDERSTOOD) and s != "nlu_fallback"
                    for g, s in zip(gold, served))
        table[str(threshold)] = {"asked_to_repeat": asked / len(gold), "confidently_wrong": wrong / len(gold)}
    return table


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test-fraction", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--config", default=str(ROOT / "config.yml"), help="pipeline to evaluate")
    args = parser.parse_args()
    from rasa.model_training import train_nlu
    from rasa.utils.log_utils import configure_structlog
    from sklearn.metrics import accuracy_score, f1_score

    configure_structlog(logging.WARNING)  # Rasa logs every parsed text at DEBUG otherwise

    rng = random.Random(args.seed)
    tests: Dict[str, List[Tuple[str, str]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "nlu"
        data_dir.mkdir()
        for language in LANGUAGES:
            train, tests[language] = split(language, args.test_fraction, rng)
            write_nlu(data_dir / f"{language}.yml", train)
        began = time.monotonic()
        model = train_nlu(args.config, str(data_dir), str(Path(tmp) / "models"),
                          domain=str(ROOT / "domain.yml"))
        trained_s = time.monotonic() - began
        report = {"test_fraction": args.test_fraction, "seed": args.seed, "train_s": round(trained_s, 1),
                  "languages": {}}
        print(f"NLU trained on {1 - args.test_fraction:.0%} of the data in {trained_s:.0f} s")
        print(f"{'lang':5} {'n':>5} {'accuracy':>9} {'macro F1':>9} {'weighted F1':>12} {'fallback':>9}")
        pipeline = yaml.safe_load(Path(args.config).read_text())["pipeline"]
        fallback = next(c for c in pipeline if c["name"] == "FallbackClassifier")
        for language in LANGUAGES:
            texts, gold = zip(*tests[language])
            served = asyncio.run(predict(model, list(texts)))
            predicted = [intent for intent, _ in served]
            labels = sorted(set(gold))
            row = {
                "n": len(gold),
                "accuracy": accuracy_score(gold, predicted),
                "macro_f1": f1_score(gold, predicted, labels=labels, average="macro", zero_division=0),
                "weighted_f1": f1_score(gold, predicted, labels=labels, average="weighted", zero_division=0),
                "fallback_rate": sum(p == "nlu_fallback" for p in predicted) / len(predicted),
                "thresholds": sweep(list(gold), [r for _, r in served], fallback.get("ambiguity_threshold", 0.1)),
                "errors": [{"text": t, "gold": g, "predicted": p}
                           for t, g, p in zip(texts, gold, predicted) if g != p],
            }
            report["languages"][language] = row
            print(f"{language:5} {row['n']:5d} {row['accuracy']:9.3f} {row['macro_f1']:9.3f} "
                  f"{row['weighted_f1']:12.3f} {row['fallback_rate']:9.3f}")
    print("\nAt other fallback thresholds: share asked to repeat (though understandable) / share answered wrongly")
    print("lang  " + "".join(f"{t:>14}" for t in THRESHOLDS))
    for language, row in report["languages"].items():
        cells = [f"{v['asked_to_repeat']:.3f}/{v['confidently_wrong']:.3f}" for v in row["thresholds"].values()]
        print(f"{language:5} " + "".join(f"{c:>14}" for c in cells))
    out = ROOT / "results" / "nlu_eval.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"Errors and figures in {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
