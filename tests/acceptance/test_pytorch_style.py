"""Promise 1, PyTorch style, and promise 3's explicit loop: classes, wrap, train_step, own loops."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import fitorch


# The seed's class, unchanged.
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3)
        self.conv2 = nn.Conv2d(64, 64, 3)
        self.pool = nn.MaxPool2d(2, 2)
    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool(F.relu(self.conv2(x)))
        return x


def images(n=16):
    return np.random.rand(n, 3, 12, 12).astype("float32")


def test_the_seed_net_trains_with_wrap_on_feature_map_targets():
    model = fitorch.wrap(Net())
    x = images()
    targets = np.random.rand(16, 64, 4, 4).astype("float32")
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, targets, batch_size=8, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert isinstance(model.evaluate(x, targets, verbose=0), float)
    assert model.predict(x, verbose=0).shape == (16, 64, 4, 4)
    assert list(model.state_dict()) == list(Net().state_dict())


class NetClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3)
        self.conv2 = nn.Conv2d(64, 64, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(64 * 4 * 4, 10)
    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = self.pool(F.relu(self.conv2(x)))
        return self.fc(self.flatten(x))


def test_the_seed_net_with_a_head_trains_as_a_classifier():
    net = NetClassifier()
    model = fitorch.wrap(net)
    x, y = images(32), np.random.randint(0, 10, 32)
    model.compile(optimizer="adam", loss=fitorch.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(x, y, batch_size=8, epochs=4, verbose=0)
    assert history.history["accuracy"][-1] > history.history["accuracy"][0]
    assert model.fc.weight is net.fc.weight  # the same parameters


class SubclassNet(fitorch.Model):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3)
        self.fc = nn.Linear(8 * 10 * 10, 2)
    def forward(self, x):
        return self.fc(torch.flatten(F.relu(self.conv1(x)), 1))


def test_a_fitorch_model_subclass_trains_the_same_way():
    model = SubclassNet()
    x, y = images(16), np.random.randint(0, 2, 16)
    model.compile(optimizer=torch.optim.SGD(model.parameters(), lr=0.05),
                  loss=fitorch.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(x, y, epochs=3, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert model.predict(x, verbose=0).shape == (16, 2)


class LoopNet(fitorch.Model):
    """The seed's explicit four-step loop, as an overridden train_step."""

    def __init__(self):
        super().__init__()
        self.net = nn.Linear(4, 3)
        self.criterion = nn.CrossEntropyLoss()
        self.steps_run = 0

    def forward(self, x):
        return self.net(x)

    def train_step(self, batch):
        inputs, labels = batch
        self.optimizer.zero_grad()
        outputs = self(inputs)
        loss = self.criterion(outputs, labels)
        loss.backward()
        self.optimizer.step()
        self.steps_run += 1
        return {"loss": loss}


def test_an_overridden_train_step_keeps_progress_callbacks_and_devices(capsys):
    model = LoopNet()
    model.compile(optimizer="adam")
    seen = []

    class Record(fitorch.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(logs["loss"])

    x, y = np.random.rand(40, 4).astype("float32"), np.random.randint(0, 3, 40)
    history = model.fit(x, y, batch_size=10, epochs=2, verbose=1, callbacks=[Record()])
    assert model.steps_run == 8
    assert seen == history.history["loss"] and len(seen) == 2
    out = capsys.readouterr().out
    assert "Epoch 2/2" in out and "4/4" in out and "loss:" in out
    assert model.device == fitorch.best_device()


def test_the_seed_pytorch_loop_still_works_on_a_fitorch_model():
    net = fitorch.Sequential([fitorch.layers.Dense(8, activation="relu"), fitorch.layers.Dense(3)])
    dataset = torch.utils.data.TensorDataset(torch.randn(32, 5), torch.randint(0, 3, (32,)))
    trainloader = torch.utils.data.DataLoader(dataset, batch_size=8)
    net(torch.zeros(1, 5))  # lazily built model: build before handing parameters to the optimizer
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    first = None
    for epoch in range(2):
        for i, data in enumerate(trainloader, 0):
            inputs, labels = data
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            first = first if first is not None else loss.item()
    assert loss.item() < first
