"""Extract from one article text file and print the JSON contract.

    python -m kg.extract ARTICLE.txt [--title T] [--publisher P] [--published 2018-07] [--url U]
    python -m kg.extract.evaluate            # score against the seed and examples/gold
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kg.errors import KGError
from kg.extract import extract
from kg.yamlsafe import read_text_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.extract", description="Rule-based extraction to JSON.")
    parser.add_argument("article", type=Path, help="a UTF-8 text file")
    parser.add_argument("--title")
    parser.add_argument("--publisher")
    parser.add_argument("--published", help="YYYY, YYYY-MM or YYYY-MM-DD; anchors relative dates")
    parser.add_argument("--url")
    args = parser.parse_args(argv)
    try:
        text = read_text_file(args.article)
        result = extract(text, url=args.url, title=args.title, publisher=args.publisher,
                         published=args.published, source=str(args.article))
    except KGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    json.dump(result.to_json(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
