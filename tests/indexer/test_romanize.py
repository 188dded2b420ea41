"""Romanized tokens let visitors find CJK names the way they type them: "Hokusai", "Qi Baishi", "Kim Hong-do"."""

import time

import pytest

from indexer.analysis import tokens
from indexer.romanize import MAX_TOKENS, romanized_tokens


def test_a_japanese_name_gives_each_word_and_the_name_joined():
    assert {"katsushika", "hokusai", "katsushikahokusai"} <= set(romanized_tokens("葛飾北斎"))
    assert {"utagawa", "hiroshige"} <= set(romanized_tokens("歌川広重", "ja"))


def test_japanese_long_vowels_are_also_given_as_people_write_them():
    assert {"toukaidou", "tokaido"} <= set(romanized_tokens("東海道", "ja"))


def test_hiragana_particles_are_read_but_not_joined_to_a_name():
    found = romanized_tokens("北斎の富士")
    assert {"hokusai", "fuji"} <= set(found)
    assert "hokusaino" not in found and "nofuji" not in found


def test_a_reading_with_an_apostrophe_is_given_as_the_tokenizer_splits_it_and_whole():
    assert romanized_tokens("万延", "ja") == ["man", "en", "manen"]


def test_half_width_katakana_is_read():
    assert romanized_tokens("ﾎｸｻｲ") == ["hokusai"]


@pytest.mark.parametrize("name", ["齐白石", "齊白石"])  # simplified and traditional
@pytest.mark.parametrize("language", [None, "zh"])
def test_a_chinese_name_gives_each_syllable_the_pairs_and_the_name_joined(name, language):
    assert {"qi", "bai", "shi", "qibai", "baishi", "qibaishi"} <= set(romanized_tokens(name, language))


def test_a_long_chinese_run_is_not_joined_whole():
    found = romanized_tokens("中华人民共和国", "zh")
    assert {"zhong", "guo", "zhonghua", "heguo"} <= set(found)
    assert "zhonghuarenmingongheguo" not in found


def test_pinyin_u_umlaut_is_folded_like_a_typed_lu():
    assert romanized_tokens("吕", "zh") == ["lu"]


def test_a_korean_name_gives_syllables_pairs_the_whole_name_and_the_customary_surname():
    assert {"kim", "gim", "hong", "do", "hongdo", "gimhongdo"} <= set(romanized_tokens("김홍도"))


def test_a_korean_final_consonant_is_written_as_it_sounds():
    found = romanized_tokens("신윤복")
    assert {"shin", "sin", "yun", "bok", "yunbok"} <= set(found)
    assert "bog" not in found


def test_two_syllable_korean_surnames_have_their_spelling():
    assert "namgung" in romanized_tokens("남궁억")


def test_surname_spellings_are_only_for_runs_the_length_of_a_name():
    assert romanized_tokens("이") == ["i"]
    assert "lee" not in romanized_tokens("이야기입니다")


@pytest.mark.parametrize("text", ["", None, "Albrecht Dürer", "Straße 1889", "Ελληνικά", "ㄱ"])
def test_text_without_han_kana_or_hangul_syllables_gives_nothing(text):
    assert romanized_tokens(text) == []


def test_only_the_cjk_parts_of_mixed_text_are_romanized():
    assert romanized_tokens("A print by 北斎, 1830", "ja") == ["hokusai"]


def test_tokens_come_in_order_of_appearance_without_duplicates():
    assert romanized_tokens("北斎 広重 北斎", "ja") == ["hokusai", "hiroshige"]


@pytest.mark.parametrize("language", [None, "ja", "zh"])
def test_every_token_is_lowercase_ascii_and_survives_the_tokenizer(language):
    text = "葛飾北斎 東海道五十三次 ヨハネス・フェルメール 齐白石 김홍도 신윤복 万延 々"
    found = romanized_tokens(text, language)
    assert found and all(token.isascii() for token in found)
    assert tokens(" ".join(found)) == found


def test_a_japanese_hint_gives_no_pinyin():
    found = romanized_tokens("葛飾北斎", "ja")
    assert "hokusai" in found
    assert not {"bei", "zhai", "beizhai"} & set(found)


@pytest.mark.parametrize("language", ["zh", "zh-Hant", "zh_TW"])
def test_a_chinese_hint_gives_no_japanese_reading(language):
    found = romanized_tokens("葛飾北斎", language)
    assert {"bei", "zhai", "beizhai"} <= set(found)
    assert "hokusai" not in found and "katsushika" not in found


@pytest.mark.parametrize("language", [None, "en", "nl"])
def test_han_without_kana_or_a_cjk_hint_gets_both_readings(language):
    assert {"hokusai", "beizhai"} <= set(romanized_tokens("葛飾北斎", language))


def test_kana_makes_the_text_japanese():
    assert "bei" not in romanized_tokens("北斎の富士", "zh")


def test_a_long_text_gives_at_most_max_tokens_quickly():
    text = "".join(chr(0x4E00 + i * 7919 % 20_000) for i in range(100_000))  # varied Han, like prose
    romanized_tokens(text[:20])  # the readings' dictionaries load at the first call (half a second): not timed
    started = time.perf_counter()
    found = romanized_tokens(text)
    assert len(found) == MAX_TOKENS
    assert time.perf_counter() - started < 1.0


def test_only_the_first_two_thousand_cjk_characters_are_read():
    assert "hokusai" in romanized_tokens("一" * 1_998 + " 北斎", "ja")
    assert "hokusai" not in romanized_tokens("一" * 1_999 + " 北斎", "ja")  # only 北 is read
    assert "hiroshige" not in romanized_tokens("一" * 1_998 + " 北斎 広重", "ja")
