"""Commands for raw articles: extract (what would be loaded) and eval (scores against gold)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli import main


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "fmt", flag_value="json", default=True, help="One JSON document (default).")
@click.option("--jsonl", "fmt", flag_value="jsonl", help="One line of JSON per article.")
@click.option("--extractor", default="rules", show_default=True, help="Extractor plug-in (entry point kg.extractors).")
@click.option("--min-score", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="List the article's own contradictions scoring at least this.")
def extract(files, fmt, extractor, min_score):
    """Print what kg load would take from raw articles (.txt, .md, .html, .jsonl, .csv),
    without touching the store: article, actors, statements, events, relations, each with its
    character span, rule, cue and confidence; and, under `contradictions`, the pairs of the
    article's own statements that the contradiction detector finds (statement ids a and b,
    basis, score, explanation), so that one article can be checked on its own.

    \b
    Example:
      kg extract report.html --json
      kg extract articles/*.txt --jsonl > extracted.jsonl
      kg extract report.txt --min-score 0.3 | jq '.contradictions[] | [.basis, .score, .explanation]'
    """
    from kg.articles import read_articles
    from kg.detect.article import article_contradictions
    from kg.extractors import get_extractor

    run = get_extractor(extractor)
    documents = []
    for path in files:
        for article in read_articles(path):
            result = run(article.text, url=article.url, title=article.title, publisher=article.publisher,
                         published=article.published, source=article.source)
            document = result.to_json()
            document["article"]["encoding"] = article.encoding
            document["contradictions"] = article_contradictions(result.to_bundle(), min_score=min_score)
            if fmt == "jsonl":
                click.echo(json.dumps(document, ensure_ascii=False))
            else:
                documents.append(document)
    if fmt == "json":
        click.echo(json.dumps(documents[0] if len(documents) == 1 else documents, ensure_ascii=False, indent=2))


@main.command("eval")
@click.argument("gold", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Output JSON.")
@click.option("--details", is_flag=True, help="List misses, extras and wrong attributions.")
@click.option("--brat", "brat_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Score against BRAT standoff attributions (.ann + .txt: Source, Cue, Content) under this "
                   "directory or file, instead of case files. Repeatable.")
def evaluate(gold, as_json, details, brat_dirs):
    """Score the extractor against case files: it reads each case file's article, extracts,
    and compares with the curated actors, statements (span overlap), speakers, stances and
    events. Without arguments: the seed case and examples/gold.

    With --brat DIR: score against BRAT attribution annotations instead (PolNeAR, PARC):
    statement precision/recall against the Content spans (overlap of half the shorter span),
    speaker accuracy (the speaker's mention overlaps the Source span) and cue accuracy.

    \b
    Example:
      kg eval examples/chechnya/case.yaml --json
      kg eval --brat PolNeAR/data/train/attributions
    """
    if brat_dirs:
        from kg.extract.brat import evaluate_brat

        brat_report = evaluate_brat([*brat_dirs, *gold])
        if as_json:
            click.echo(json.dumps(brat_report.to_json(details=details), indent=2, ensure_ascii=False))
            return
        click.echo(brat_report.render_table())
        if details:
            for document in brat_report.documents:
                click.echo(f"\n## {document.path}")
                for item in document.details:
                    click.echo(f"  {json.dumps(item, ensure_ascii=False)}")
        return

    from kg.extract.evaluate import default_paths, evaluate as run_evaluation
    from kg.loading import find_inputs, is_casefile

    paths = [p for p in find_inputs(gold) if is_casefile(p)] if gold else default_paths()
    report = run_evaluation(paths)
    if as_json:
        click.echo(json.dumps(report.to_json(details=details), indent=2, ensure_ascii=False))
        return
    click.echo(report.render_table())
    if details:
        for article in report.articles:
            click.echo(f"\n## {article.path}")
            for key, items in article.details.items():
                for item in items:
                    click.echo(f"  {key}: {json.dumps(item, ensure_ascii=False)}")
