#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that need MNIST: convolutional networks trained by PyTorch, for the tests that
hold `backprop train --arch` and `backprop eval --arch` to PyTorch's numbers.

Needs Debian's python3-torch (1.13) and MNIST from scripts/get-data.sh; nothing is downloaded. Inputs are pixels / 255,
nothing else, as in Backprop. It writes into tests/Backprop.Tests/Fixtures/PyTorch/ (about 200 KB):

  conv-steps.json              The architecture (Backprop's --arch text, the same torch.nn.Sequential), and for SGD with
                               momentum and for Adam the optimizer settings and the `backprop train` options.
  conv-steps-init.safetensors  The network's initial state dict (torch.manual_seed(1)), BatchNorm buffers included
                               (num_batches_tracked as I64), with torch.nn.Sequential's names.
  conv-steps-sgd.safetensors   The state dict after 24 steps of SGD (lr 0.05, momentum 0.9) on MNIST's first
  conv-steps-adam.safetensors  24 x 64 training images in file order, cross-entropy; the same for Adam (lr 0.001).
  conv-trained.safetensors     A small conv net with BatchNorm trained by PyTorch for one epoch (Adam, lr 0.001, batch
                               64, shuffled with torch.manual_seed(1)), saved without metadata, as
                               safetensors.torch.save_file saves a state dict.
  conv-trained.json            Its architecture and PyTorch's accuracy and mean loss on MNIST's 10,000 test images (eval
                               mode), which `backprop eval --model conv-trained.safetensors --arch ...` must reproduce.

Regenerate (a minute or two on two cores):
    scripts/get-data.sh mnist
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 scripts/make-pytorch-mnist-fixtures.py
"""
import json, os

import torch
from torch import nn

from torchref import load_set, save_safetensors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests/Backprop.Tests/Fixtures/PyTorch")
DATA = os.path.join(ROOT, "data/mnist")

# Conv, BatchNorm2d (buffers), max and average pooling, flatten, BatchNorm1d: every kind of state a conv net carries.
# The layers before a BatchNorm have no bias, as usual: BatchNorm subtracts the batch mean, so such a bias gets a gradient
# of zero up to rounding, and Adam, which divides by the gradient's own size, would turn that rounding noise into full
# steps whose direction no two implementations share (measured: 0.0079 apart after 24 steps, every other value 3e-8).
STEPS_ARCH = ("Conv2d(1, 4, 5, bias=False), BatchNorm2d(4), ReLU(), MaxPool2d(2), Conv2d(4, 8, 3, padding=1), ReLU(), AvgPool2d(2), "
              "Flatten(), Linear(288, 32, bias=False), BatchNorm1d(32), ReLU(), Linear(32, 10)")
TRAINED_ARCH = "Conv2d(1, 8, 3), BatchNorm2d(8), ReLU(), MaxPool2d(2), Flatten(), Linear(1352, 10)"
STEPS, BATCH = 24, 64


def steps_network():
    return nn.Sequential(nn.Conv2d(1, 4, 5, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 8, 3, padding=1), nn.ReLU(),
                         nn.AvgPool2d(2), nn.Flatten(), nn.Linear(288, 32, bias=False), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 10))


def trained_network():
    return nn.Sequential(nn.Conv2d(1, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1352, 10))


def write_steps(images, labels):
    torch.manual_seed(1)
    init = steps_network().state_dict()
    save_safetensors(os.path.join(OUT, "conv-steps-init.safetensors"), init)
    configurations = []
    for name, make, options in [
        ("sgd", lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9), ["--optimizer", "momentum", "--lr", "0.05", "--momentum", "0.9"]),
        ("adam", lambda p: torch.optim.Adam(p, lr=0.001), ["--optimizer", "adam", "--lr", "0.001"]),
    ]:
        model = steps_network()
        model.load_state_dict(init)
        model.train()
        optimizer = make(model.parameters())
        for step in range(STEPS):
            x, y = images[step * BATCH:(step + 1) * BATCH], labels[step * BATCH:(step + 1) * BATCH]
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        save_safetensors(os.path.join(OUT, f"conv-steps-{name}.safetensors"), model.state_dict())
        configurations.append({"name": name, "weights": f"conv-steps-{name}.safetensors", "options": options,
                               "hyperparameters": {k: v for k, v in optimizer.param_groups[0].items() if k != "params"}})
    fixture = {"pytorch": torch.__version__, "arch": STEPS_ARCH, "init": "conv-steps-init.safetensors", "batch_size": BATCH,
               "steps": STEPS, "configurations": configurations}
    with open(os.path.join(OUT, "conv-steps.json"), "w") as f:
        json.dump(fixture, f, indent=1)


def write_trained(images, labels, test_images, test_labels):
    torch.manual_seed(1)
    model = trained_network()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images, labels), batch_size=BATCH, shuffle=True)
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        outputs = model(test_images)
        loss = nn.functional.cross_entropy(outputs, test_labels).item()
        correct = int((outputs.argmax(1) == test_labels).sum())
    save_safetensors(os.path.join(OUT, "conv-trained.safetensors"), model.state_dict())
    fixture = {"pytorch": torch.__version__, "arch": TRAINED_ARCH, "weights": "conv-trained.safetensors", "test_examples": len(test_labels),
               "correct": correct, "accuracy": correct / len(test_labels), "loss": loss}
    with open(os.path.join(OUT, "conv-trained.json"), "w") as f:
        json.dump(fixture, f, indent=1)
    print(f"conv-trained: {correct}/{len(test_labels)} correct, loss {loss:.4f}")


if __name__ == "__main__":
    torch.set_num_threads(2)
    images, labels = load_set(DATA, "train", (-1, 1, 28, 28))
    test_images, test_labels = load_set(DATA, "t10k", (-1, 1, 28, 28))
    write_steps(images, labels)
    write_trained(images, labels, test_images, test_labels)
    for name in sorted(os.listdir(OUT)):
        if name.startswith("conv-"):
            print(f"{os.path.join(OUT, name)}: {os.path.getsize(os.path.join(OUT, name))} bytes")
