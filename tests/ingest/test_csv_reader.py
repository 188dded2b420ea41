"""CSV files as spreadsheets save them: the separator (comma; semicolon, as Excel writes CSV where
the decimal mark is a comma, in the Netherlands, Germany or France; tab) is told from the header
line and used for the whole file, with the spreadsheets' quoting rules."""

import pytest

from catalogue.ingest.readers import csv_separator, read_csv, read_csv_header


def write(tmp_path, text: str, name: str = "objects.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def records(path) -> list[dict]:
    return [row.data for row in read_csv(path, None)]


def test_a_semicolon_file_as_excel_writes_it_in_europe_reads_into_its_columns(tmp_path):
    path = write(
        tmp_path,
        "\ufefflocal_id;title;dimensions;inscription\n"
        'SK-A-1;Stilleven, bloemen;12,5 x 30 cm;"Signed ""JdH""; dated"\n'
        "SK-A-2;De Nachtwacht;363 x 437 cm;\n",
    )
    assert csv_separator(path) == ";"
    assert records(path) == [
        {"local_id": "SK-A-1", "title": {"none": ["Stilleven, bloemen"]}, "dimensions": "12,5 x 30 cm",
         "inscription": 'Signed "JdH"; dated'},
        {"local_id": "SK-A-2", "title": {"none": ["De Nachtwacht"]}, "dimensions": "363 x 437 cm"},
    ]  # fmt: skip


def test_a_tab_separated_file_reads_into_its_columns_whatever_its_name(tmp_path):
    path = write(tmp_path, "local_id\ttitle\tdate_display\nT1\tWave, great\tc. 1830\n", name="objects.txt")
    assert csv_separator(path) == "\t"
    assert records(path) == [{"local_id": "T1", "title": {"none": ["Wave, great"]}, "date_display": "c. 1830"}]


def test_a_comma_file_keeps_semicolons_in_its_cells(tmp_path):
    path = write(tmp_path, "local_id,title,makers\nT1,Wave,Hokusai; Hiroshige\n")
    assert csv_separator(path) == ","
    assert records(path)[0]["makers"] == [{"name": "Hokusai; Hiroshige"}]


@pytest.mark.parametrize(
    ("text", "separator", "header"),
    [
        (
            "Objektnummer;Titel;Datierung, ca.\nA1;Stillleben, Blumen;1650, um\nA2;Vase;1700\n",
            ";",
            ["Objektnummer", "Titel", "Datierung, ca."],
        ),
        (
            "local_id,title;subtitle,date_display\nT1,Wave,1830\nT2,Pine; snow,1831\n",
            ",",
            ["local_id", "title;subtitle", "date_display"],
        ),
        ("Object;Title,Date\nA1,Wave,1830\nA2,Pine,1831\n", ",", ["Object;Title", "Date"]),
        ("Object,Title;Date\nA1 Wave, great;1830\nA2 Pine;1831\n", ";", ["Object,Title", "Date"]),
        ("Object;Title,Date\n", ",", ["Object;Title", "Date"]),
    ],
    ids=[
        "more-columns-by-semicolon",
        "more-columns-by-comma",
        "tie-the-rows-agree-with-comma",
        "tie-the-rows-agree-with-semicolon",
        "tie-header-alone-comma-first",
    ],
)
def test_a_header_with_both_commas_and_semicolons_takes_the_separator_giving_more_columns_the_rows_agree_with(
    tmp_path, text, separator, header
):
    path = write(tmp_path, text)
    assert csv_separator(path) == separator
    assert read_csv_header(path, 0)[0] == header


def test_more_columns_in_the_header_alone_do_not_win_over_rows_that_disagree(tmp_path):
    path = write(tmp_path, "a,b,c;d\nx;y\nz;w\n")
    assert csv_separator(path) == ";"
    assert read_csv_header(path)[0] == ["a,b,c", "d"]


def test_one_column_with_no_separator_stays_one_column(tmp_path):
    path = write(tmp_path, "title\nWave, great\nPine; snow\n")
    assert read_csv_header(path) == (["title"], [["Wave", " great"], ["Pine; snow"]])


def test_a_separator_inside_a_quoted_header_name_separates_nothing(tmp_path):
    path = write(tmp_path, '"Title; Date"\n"Wave; 1830"\n')
    assert read_csv_header(path) == (["Title; Date"], [["Wave; 1830"]])
    path = write(tmp_path, 'local_id;"title, en";"date; shown"\nT1;Wave;1830\n')
    assert read_csv_header(path) == (["local_id", "title, en", "date; shown"], [["T1", "Wave", "1830"]])


def test_the_header_decides_for_the_whole_file(tmp_path):
    """A row with another separator is a broken row (its cells do not fit), not a second dialect."""
    path = write(tmp_path, "local_id;title\nT1;Wave\nT2,Pine\nT3;Moon\n")
    rows = list(read_csv(path, None))
    assert [row.data and row.data["local_id"] for row in rows] == ["T1", None, "T3"]
    assert rows[1].error == "Row has 1 cells; the header has 2."


def test_a_quoted_cell_may_hold_the_separator_and_line_breaks(tmp_path):
    path = write(tmp_path, 'local_id;title;inscription\nT1;Wave;"line one;\nline two"\nT2;Pine;\n')
    assert records(path)[0]["inscription"] == "line one;\nline two"
    assert [row.data["local_id"] for row in read_csv(path, None)] == ["T1", "T2"]
