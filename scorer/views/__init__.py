"""What each output shows, built once from an analysis: named columns, labels and sentences.

Terminal, text formats, notebooks and the workbook lay these out by name, so they show the
same numbers and say the same things; none reads another writer's layout.

    common.py       JSON-ready values, number formats, the "made with" sentence
    comparison.py   the ranked table (`scorer compare`)
    explanation.py  every point of one project (`scorer explain`)
    sensitivity.py  the verdict and the analyses of `scorer sensitivity`
    rubric.py       the method (`scorer rubric`)
"""
