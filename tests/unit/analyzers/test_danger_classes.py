"""Word classes added in round 19 (``data/danger/*.txt``), each for a kind of phrasing the
danger model alone missed when the file it came from was left out of its training (a
child gone missing, pinyin, a farewell to everyone, a baby's fever, a positive pregnancy
test, no money for a bed).

Each case names no phrase of the crisis lists, so the structure rule must find it by
itself (:func:`analyzers.danger.detect`); every one was silent on round 18's code.
"""

from __future__ import annotations

import pytest

from analyzers import analyze_query, danger
from analyzers.models import CrisisSignal
from analyzers.tokens import tokenize

CHILD = "child_danger"
SUICIDE = "suicide"
MEDICAL = "medical_emergency"
PREGNANCY = "pregnancy_emergency"


def structure(text: str) -> CrisisSignal | None:
    return danger.detect([t.text for t in tokenize(text)])


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a child gone missing, run away, not come home (class "missing")
        ("meine tochter ist 13 und seit gestern nicht nach hause gekommen", CHILD),
        ("my 12 year old didnt come home from school", CHILD),
        ("kizim 13 yasinda dunden beri eve gelmedi", CHILD),
        ("pesaram 14 salashe az dishab gom shode", CHILD),
        ("córka ma 14 lat i nie wróciła do domu na noc", CHILD),
        ("fiica mea de 12 ani a dispărut de azi dimineață", CHILD),
        # Chinese typed in pinyin
        ("linju jia haizi zongshi bei da, wo gai zhao shei", CHILD),
        ("wo baba yunguoqu le, jiuhuche dianhua duoshao", MEDICAL),
        ("wo mama turan fengle luan shuohua hai yao da ren", "psychiatric_emergency"),
        ("wo huaiyun le, bu gan gaosu jiaren", PREGNANCY),
        # a farewell to everyone
        ("mein sohn hat in die familiengruppe geschrieben macht's gut ihr alle", SUICIDE),
        ("con xin lỗi bố mẹ, kiếp sau con sẽ ngoan hơn", SUICIDE),
        # a baby's high fever
        ("a babának 40 fokos láza van és nagyon bágyadt", MEDICAL),
        ("baby has a fever and wont drink, 6 weeks old", MEDICAL),
        ("mein baby hat fieber 40 und ist ganz schlapp", MEDICAL),
        # a positive pregnancy test and fear
        ("test mosbat shod az tars nemidoonam chikar konam", PREGNANCY),
        ("задержка тест две полоски мне 15 мама убьет", PREGNANCY),
        ("hamile testi pozitif çıktı kimse bilmiyor", PREGNANCY),
        # no money for a bed, at the station
        ("hbf macht um 1 zu, hab kein geld für ne pension", "homeless_tonight"),
    ],
)
def test_the_structure_rule_reads_what_the_model_alone_missed(text: str, kind: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "mein Kind vermisst seinen Vater seit der Trennung",  # "vermissen": to miss someone
        "mein neffe will unbedingt von zuhause weg, wer hilft bei der wohnungssuche",
        "fundbüro kinderwagen verschwunden",
        "задержка зарплаты боюсь остаться без квартиры",  # a late salary, not a late period
    ],
)
def test_a_word_the_new_classes_share_with_everyday_life_raises_nothing(text: str) -> None:
    assert structure(text) is None


@pytest.mark.parametrize(
    "text",
    ["wo xiang xue deyu", "nali you mianfei de deyu ke", "wo de haizi xuyao zuoye bangzhu"],
)
def test_an_ordinary_pinyin_query_raises_no_alarm(text: str) -> None:
    """The danger model had seen pinyin in acute messages only ("wo xiang xue deyu",
    "I want to learn German", was a suicide alarm); ordinary pinyin now trains it too."""
    assert analyze_query(text).crisis is None
