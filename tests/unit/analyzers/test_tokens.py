"""Words read in windows: what the danger rule and the danger model share."""

from analyzers.tokens import windows


def test_a_short_message_is_one_window():
    assert windows(["a", "b", "c"], 4) == [["a", "b", "c"]]
    assert windows([], 4) == [[]]


def test_windows_overlap_by_half_and_reach_the_last_word():
    words = [str(n) for n in range(10)]
    assert windows(words, 4) == [
        ["0", "1", "2", "3"],
        ["2", "3", "4", "5"],
        ["4", "5", "6", "7"],
        ["6", "7", "8", "9"],
    ]


def test_no_window_is_only_the_tail_of_the_one_before():
    # 9 words, windows of 4: the last window starts at 6 and holds the last three words
    windows_of_nine = windows([str(n) for n in range(9)], 4)
    assert windows_of_nine[-1] == ["6", "7", "8"]
    assert all(len(w) > 2 for w in windows_of_nine)
