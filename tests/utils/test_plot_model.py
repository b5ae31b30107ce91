"""plot_model writes a real picture (read back with Pillow and an XML parser) that grows with the graph."""

import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from PIL import Image

import fitorch
from fitorch import layers, utils
from fitorch.utils.model_plot import model_graph

OPTIONS = dict(show_shapes=False, show_dtype=False, show_layer_names=True, show_layer_activations=False,
               show_trainable=False)  # fmt: skip


def chain(depth):
    inputs = layers.Input(shape=(4,))
    x = inputs
    for _ in range(depth):
        x = layers.Dense(4)(x)
    return fitorch.Model(inputs, x)


def multi_io_shared():
    """Two inputs, a shared layer called twice, a skip connection, two outputs."""
    text, meta = layers.Input(shape=(8,), name="text"), layers.Input(shape=(8,), name="meta")
    shared = layers.Dense(8, name="shared")
    joined = layers.Concatenate(name="joined")([shared(text), shared(meta)])
    hidden = layers.Dense(16, name="hidden")(joined)
    skip = layers.Add(name="skip")([joined, hidden])
    return fitorch.Model([text, meta], [layers.Dense(1, name="score")(skip), layers.Dense(3, name="kind")(joined)])


def read_png(path):
    with Image.open(path) as image:
        image.load()
        assert image.format == "PNG"
        return np.asarray(image)


def test_png_is_a_real_image_that_grows_with_the_graph(tmp_path):
    sizes = []
    for depth in (1, 4, 8):
        path = tmp_path / f"chain{depth}.png"
        assert utils.plot_model(chain(depth), to_file=path, show_shapes=True, dpi=50) is None
        pixels = read_png(path)
        assert pixels.ndim == 3 and pixels.shape[2] in (3, 4)
        assert len(np.unique(pixels.reshape(-1, pixels.shape[2]), axis=0)) > 10  # drawn, not blank
        sizes.append(pixels.shape)
    heights = [s[0] for s in sizes]
    assert heights[0] < heights[1] < heights[2]
    wide = tmp_path / "wide.png"
    utils.plot_model(chain(4), to_file=wide, show_shapes=True, rankdir="LR", dpi=50)
    assert read_png(wide).shape[1] > read_png(tmp_path / "chain4.png").shape[1]  # left to right: wider


def test_shapes_dtypes_and_dpi_make_a_bigger_picture(tmp_path):
    model = multi_io_shared()
    utils.plot_model(model, to_file=tmp_path / "plain.png", dpi=50)
    utils.plot_model(model, tmp_path / "full.png", show_shapes=True, show_dtype=True, show_trainable=True,
                     show_layer_activations=True, dpi=50)  # fmt: skip
    utils.plot_model(model, tmp_path / "sharp.png", dpi=100)
    plain, full, sharp = (read_png(tmp_path / f"{n}.png").shape for n in ("plain", "full", "sharp"))
    assert full[0] > plain[0] and full[1] > plain[1]
    assert sharp[0] == pytest.approx(2 * plain[0], abs=2)


def test_svg_and_pdf_by_extension(tmp_path):
    model = multi_io_shared()
    utils.plot_model(model, to_file=tmp_path / "model.svg")
    root = ElementTree.parse(tmp_path / "model.svg").getroot()
    assert root.tag.endswith("svg") and float(root.get("height").removesuffix("pt")) > 100
    small = tmp_path / "small.svg"
    utils.plot_model(chain(1), to_file=small)
    assert (tmp_path / "model.svg").stat().st_size > small.stat().st_size
    utils.plot_model(model, to_file=tmp_path / "model.pdf")
    assert (tmp_path / "model.pdf").read_bytes().startswith(b"%PDF")
    utils.plot_model(model, to_file=tmp_path / "noextension", dpi=30)
    read_png(tmp_path / "noextension")


def test_graph_has_one_box_per_layer_and_an_arrow_per_connection():
    model = multi_io_shared()
    boxes, edges = model_graph(model, OPTIONS)
    names = [box.lines[0].split(" ")[0] for box in boxes]
    assert sorted(names) == sorted(["text", "meta", "shared", "joined", "hidden", "skip", "score", "kind"])
    named = {(names[a], names[b]) for a, b in edges}
    assert named == {("text", "shared"), ("meta", "shared"), ("shared", "joined"), ("joined", "hidden"),
                     ("joined", "skip"), ("hidden", "skip"), ("skip", "score"), ("joined", "kind")}  # fmt: skip
    shared = boxes[names.index("shared")]
    assert shared.lines == ["shared (Dense)"]
    boxes, _ = model_graph(model, {**OPTIONS, "show_shapes": True, "show_layer_names": False})
    shared = boxes[names.index("shared")]
    assert shared.lines == ["Dense", "Input shape: (None, 8) | (None, 8)", "Output shape: (None, 8) | (None, 8)"]


def test_sequential_built_and_unbuilt(tmp_path):
    built = fitorch.Sequential([layers.Input(shape=(3,)), layers.Dense(2), layers.Dense(1)])
    boxes, edges = model_graph(built, OPTIONS)
    assert [b.lines[0].split(" ")[1] for b in boxes] == ["(InputLayer)", "(Dense)", "(Dense)"] and len(edges) == 2
    lazy = fitorch.Sequential([layers.Dense(2), layers.Dense(1)])
    utils.plot_model(lazy, to_file=tmp_path / "lazy.png", dpi=30)
    read_png(tmp_path / "lazy.png")


def test_errors(tmp_path):
    class Net(fitorch.Model):
        def forward(self, x):
            return x

    with pytest.raises(TypeError, match="plot_model draws functional and Sequential models; received Net"):
        utils.plot_model(Net(), to_file=tmp_path / "x.png")
    with pytest.raises(ValueError, match=r"to_file must end in one of .*'model.gif'"):
        utils.plot_model(chain(1), to_file="model.gif")
    with pytest.raises(ValueError, match="rankdir must be 'TB', 'LR', 'BT' or 'RL'; received rankdir='XY'"):
        utils.plot_model(chain(1), to_file=tmp_path / "x.png", rankdir="XY")
    with pytest.raises(ValueError, match="expand_nested=True is not supported yet"):
        utils.plot_model(chain(1), to_file=tmp_path / "x.png", expand_nested=True)
