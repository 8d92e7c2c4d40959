"""Word classes added in round 19 (``data/danger/*.txt``), each for a kind of phrasing the
danger model alone missed when the file it came from was left out of its training (a
child gone missing, pinyin, a farewell to everyone, a baby's fever, no money for a bed).

Each case names no phrase of the crisis lists, so the structure rule must find it
(``strength == "structure"``); every one was silent or left to chance on round 18's code.
"""

from __future__ import annotations

import pytest

from analyzers import analyze_query, danger
from analyzers.models import CrisisSignal
from analyzers.tokens import tokenize

CHILD = "child_danger"


def structure(text: str) -> CrisisSignal | None:
    return danger.detect([t.text for t in tokenize(text)])


def signal(text: str):  # type: ignore[no-untyped-def]
    return analyze_query(text).crisis


@pytest.mark.parametrize(
    "text",
    [
        "meine tochter ist 13 und seit gestern nicht nach hause gekommen",
        "my 12 year old didnt come home from school",
        "kizim 13 yasinda dunden beri eve gelmedi",
        "pesaram 14 salashe az dishab gom shode",
        "córka ma 14 lat i nie wróciła do domu na noc",
        "fiica mea de 12 ani a dispărut de azi dimineață",
    ],
)
def test_a_child_gone_missing_is_a_child_in_danger(text: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == CHILD


@pytest.mark.parametrize(
    "text",
    [
        "mein Kind vermisst seinen Vater seit der Trennung",  # "vermissen": to miss someone
        "mein neffe will unbedingt von zuhause weg, wer hilft bei der wohnungssuche",
        "fundbüro kinderwagen verschwunden",
    ],
)
def test_missing_someone_or_something_is_no_child_gone_missing(text: str) -> None:
    assert structure(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("linju jia haizi zongshi bei da, wo gai zhao shei", CHILD),
        ("wo baba yunguoqu le, jiuhuche dianhua duoshao", "medical_emergency"),
        ("wo mama turan fengle luan shuohua hai yao da ren", "psychiatric_emergency"),
        ("wo huaiyun le, bu gan gaosu jiaren", "pregnancy_emergency"),
    ],
)
def test_chinese_typed_in_pinyin_meets_the_classes(text: str, kind: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == kind


@pytest.mark.parametrize(
    "text",
    ["wo xiang xue deyu", "nali you mianfei de deyu ke", "wo de haizi xuyao zuoye bangzhu"],
)
def test_an_ordinary_pinyin_query_raises_no_alarm(text: str) -> None:
    """The danger model had seen pinyin in acute messages only ("wo xiang xue deyu",
    "I want to learn German", was a suicide alarm); ordinary pinyin now trains it too."""
    assert signal(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "mein sohn hat in die familiengruppe geschrieben macht's gut ihr alle",
        "con xin lỗi bố mẹ, kiếp sau con sẽ ngoan hơn",
        "hakkınızı helal edin artık hepiniz",
    ],
)
def test_a_farewell_to_everyone_is_read_as_one(text: str) -> None:
    found = signal(text)
    assert found is not None and found.kind == "suicide"


@pytest.mark.parametrize(
    "text",
    [
        "a babának 40 fokos láza van és nagyon bágyadt",
        "baby has a fever and wont drink, 6 weeks old",
        "mein baby hat fieber 40 und ist ganz schlapp",
    ],
)
def test_a_babys_high_fever_is_a_medical_emergency(text: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == "medical_emergency"


def test_no_money_for_a_bed_at_the_station_is_nowhere_to_sleep() -> None:
    found = structure("hbf macht um 1 zu, hab kein geld für ne pension")
    assert found is not None and found.kind == "homeless_tonight"


@pytest.mark.parametrize(
    "text",
    [
        "test mosbat shod az tars nemidoonam chikar konam",
        "задержка тест две полоски мне 15 мама убьет",
        "hamile testi pozitif çıktı kimse bilmiyor",
    ],
)
def test_a_positive_pregnancy_test_is_a_pregnancy(text: str) -> None:
    found = structure(text)
    assert found is not None and found.kind == "pregnancy_emergency"


def test_a_delay_is_no_pregnancy_by_itself() -> None:
    """ "задержка" is a late period, but also a late salary."""
    assert structure("задержка зарплаты боюсь остаться без квартиры") is None
