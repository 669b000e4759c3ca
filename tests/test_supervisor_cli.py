"""The supervisor commands on bad paths and names: one-line errors, exit 2, nothing replaced silently."""
import sqlite3

import pytest
from click.testing import CliRunner

from checker.cli.main import main
from checker.batch.store import open_db
from csv_files import write_csv  # noqa: E402

NOTE = ("Met with Ana at the office on 3/4 for 45 minutes. She brought her lease. CM will call the landlord "
        "by Friday 3/8.")




def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def one_line_error(result):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and result.output.startswith("error: ")
    assert len(result.output.strip().splitlines()) == 1


@pytest.fixture
def store(tmp_path):
    src = write_csv(tmp_path / "n.csv", [{"id": "1", "worker": "A", "program": "Youth", "text": NOTE}])
    assert run("batch", src, "--db", tmp_path / "s.db").exit_code == 0
    return tmp_path / "s.db"


def test_bad_store_paths_are_one_line_errors(tmp_path, store):
    src = write_csv(tmp_path / "m.csv", [{"text": NOTE}])
    one_line_error(run("batch", src, "--db", "/nonexistent/x.db"))
    one_line_error(run("report", "--db", store, "--worker", "A", "--out", "/nonexistent/r.html"))
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 64)
    one_line_error(run("report", "--db", tmp_path / "binary.bin", "--worker", "A"))
    one_line_error(run("report", "--db", tmp_path / "typo.db", "--worker", "A"))
    assert not (tmp_path / "typo.db").exists()


def test_token_create_refuses_empty_names_unknown_programs_and_missing_stores(tmp_path, store):
    one_line_error(run("token", "create", "--db", store, "--name", " ", "--program", "Youth"))
    unknown = run("token", "create", "--db", store, "--name", "Sup", "--program", "Yuoth")
    one_line_error(unknown)
    assert "Youth" in unknown.output  # says which programs there are
    one_line_error(run("token", "create", "--db", tmp_path / "casecoach.dbb", "--name", "Sup", "--program", "Youth"))
    assert not (tmp_path / "casecoach.dbb").exists()
    assert run("token", "create", "--db", store, "--name", "New", "--program", "Later", "--new-program").exit_code == 0


def test_token_list_and_revoke(store):
    token = run("token", "create", "--db", store, "--name", "Sup A", "--program", "Youth").output.strip()
    listed = run("token", "list", "--db", store)
    assert listed.exit_code == 0 and "Sup A\tYouth" in listed.output and token not in listed.output
    assert run("token", "revoke", "--db", store, "--name", "Sup A").exit_code == 0
    from checker.batch.store import token_programs
    assert token_programs(open_db(str(store)), token) is None
    one_line_error(run("token", "revoke", "--db", store, "--name", "Sup A"))


def test_files_of_the_same_name_in_two_folders_are_two_sources(tmp_path):
    a = write_csv(tmp_path / "siteA" / "notes.csv", [{"text": NOTE}, {"text": NOTE + " Two."}])
    b = write_csv(tmp_path / "siteB" / "notes.csv", [{"text": NOTE + " Three."}])
    db = tmp_path / "s.db"
    assert run("batch", a, "--db", db).exit_code == 0
    assert run("batch", b, "--db", db).exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*), count(distinct source) from documents").fetchone() == (3, 2)


def test_a_document_never_moves_program_and_an_id_twice_is_reported(tmp_path):
    db = tmp_path / "s.db"
    first = write_csv(tmp_path / "a.csv", [{"id": "Y-1", "program": "Youth", "text": NOTE}])
    assert run("batch", first, "--db", db).exit_code == 0
    moved = write_csv(tmp_path / "b.csv", [{"id": "Y-1", "program": "SOAR", "text": NOTE + " Changed."},
                                           {"id": "S-1", "program": "SOAR", "text": NOTE},
                                           {"id": "S-1", "program": "SOAR", "text": NOTE + " Again."}])
    result = CliRunner().invoke(main, ["batch", moved, "--db", str(db)])
    assert result.exit_code == 0
    assert "line 2: document id 'Y-1' is already stored for another program" in result.output
    assert "line 4: document id 'S-1' already appeared at" in result.output
    with sqlite3.connect(db) as conn:
        assert conn.execute("select program from documents where id = 'Y-1'").fetchone() == ("Youth",)
        assert conn.execute("select count(*) from documents where id = 'S-1'").fetchone() == (1,)


def test_batch_prints_the_column_mapping_and_warns_without_dates(tmp_path):
    src = write_csv(tmp_path / "n.csv", [{"Note ID": "1", "Case Manager": "A", "Narrative": NOTE}])
    result = CliRunner().invoke(main, ["batch", src, "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 0
    assert "columns:" in result.output and "Narrative" in result.output and "Case Manager" in result.output
    assert "no date column" in result.output


def test_batch_says_which_encoding_it_read(tmp_path):
    src = tmp_path / "excel.csv"
    src.write_bytes("id,text\n1,\"Met with Renée on 3/4. She said “I am ready”. CM will call by Friday.\"\n"
                    .encode("cp1252"))
    result = CliRunner().invoke(main, ["batch", str(src), "--db", str(tmp_path / "s.db"), "--store-text"])
    assert result.exit_code == 0 and "excel.csv: read as cp1252" in result.output
    with sqlite3.connect(tmp_path / "s.db") as conn:
        assert "Renée" in conn.execute("select text from documents").fetchone()[0]
