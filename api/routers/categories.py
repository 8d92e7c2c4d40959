"""``GET /categories``: the taxonomy with labels in the six interface languages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from analyzers import taxonomy
from configuration.languages import UI_LANGUAGES

router = Router(tags=["categories"])
LANGUAGES = UI_LANGUAGES


class Node(Schema):
    code: str
    labels: dict[str, str]
    children: list[Node] = []


@router.get("", response=list[Node], summary="The category tree")
def categories(request: HttpRequest) -> list[Node]:
    tree = []
    for area in taxonomy.areas():
        children = [
            Node(code=c, labels={lang: taxonomy.label(c, lang) for lang in LANGUAGES})
            for c in taxonomy.children(area)
        ]
        tree.append(
            Node(
                code=area,
                labels={lang: taxonomy.label(area, lang) for lang in LANGUAGES},
                children=children,
            )
        )
    return tree
