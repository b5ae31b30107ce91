"""The demo (`python -m fitorch.demo`) reaches >= 0.95 test accuracy on digits and writes its curves."""

from fitorch import demo


def test_demo_trains_the_digits_cnn_and_writes_a_png(tmp_path, capsys):
    accuracy = demo.main(["--epochs", "15", "--output", str(tmp_path / "curves.png"), "--verbose", "0"])
    assert accuracy >= 0.95
    assert (tmp_path / "curves.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = capsys.readouterr().out
    assert "Connected to" in printed and "Test accuracy" in printed
