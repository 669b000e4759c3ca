"""Writing small CSV exports for the tests."""
import csv


def write_csv(path, rows):
    """Write rows (dicts with the same keys) as a UTF-8 CSV with a header; return the path as text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)
