#!/usr/bin/env python3
"""Checks Backprop against PyTorch on the same data, weights and hyperparameters.

Needs PyTorch for the system Python (Debian: apt-get install python3-torch) and the data sets from
scripts/get-data.sh. It never downloads anything. It checks three things and prints what it measures:

  steps    Same initial weights, batches in file order (--no-shuffle), N SGD steps in both: the largest
           difference between the two sets of trained weights.
  files    A model trained by Backprop loads in PyTorch and predicts the same classes; a PyTorch
           nn.Sequential state dict saved as safetensors (no metadata) gives the same predictions
           through `backprop predict --layers ... --activation ...`.
  seeds    Test accuracy of PyTorch itself over several seeds, for a configuration of train: an MLP (--layers) or any
           network in train --arch's text (--arch, which is PyTorch's own constructor syntax, or the preset lenet5).

Usage: /usr/bin/python3 scripts/compare-with-pytorch.py steps|files|seeds [options]  (see --help)
"""
import argparse, os, re, subprocess, sys, tempfile, time
import torch
from torch import nn

from torchref import load_safetensors, load_set, save_safetensors

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def backprop(*args):
    """Runs the Release build of the backprop command line and returns what it printed."""
    cmd = ["dotnet", "run", "--project", os.path.join(ROOT, "src/Backprop.Cli"), "-c", "Release", "--", *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"backprop {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout


def mlp(layers):
    modules = []
    for i in range(len(layers) - 1):
        if i > 0:
            modules.append(nn.ReLU())
        modules.append(nn.Linear(layers[i], layers[i + 1]))
    return nn.Sequential(*modules)


def check_steps(a):
    layers = [784, 128, 10]
    torch.manual_seed(0)
    model = mlp(layers)
    with tempfile.TemporaryDirectory() as tmp:
        init, out = os.path.join(tmp, "init.safetensors"), os.path.join(tmp, "out.safetensors")
        save_safetensors(init, model.state_dict())
        backprop("train", "--data", a.data, "--layers", "784,128,10", "--optimizer", "sgd", "--lr", str(a.lr), "--batch-size", str(a.batch_size),
                 "--epochs", "1", "--steps", str(a.steps), "--no-shuffle", "--init", init, "--save", out)
        ours = load_safetensors(out)
    images, labels = load_set(a.data, "train")
    optimizer = torch.optim.SGD(model.parameters(), lr=a.lr)
    for step in range(a.steps):
        x, y = images[step * a.batch_size:(step + 1) * a.batch_size], labels[step * a.batch_size:(step + 1) * a.batch_size]
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    worst = max((ours[k] - v).abs().max().item() for k, v in model.state_dict().items())
    scale = max(v.abs().max().item() for v in model.state_dict().values())
    print(f"steps: {a.steps} SGD steps, batch {a.batch_size}, lr {a.lr}, file order: largest weight difference {worst:.3g} (largest weight {scale:.3g})")


def check_files(a):
    images, labels = load_set(a.data, "t10k")
    with tempfile.TemporaryDirectory() as tmp:
        ours = os.path.join(tmp, "ours.safetensors")
        backprop("train", "--data", a.data, "--layers", "784,32,10", "--epochs", "1", "--save", ours)
        model = mlp([784, 32, 10])
        model.load_state_dict(load_safetensors(ours))
        with torch.no_grad():
            torch_classes = model(images).argmax(1)
        our_eval = backprop("eval", "--model", ours, "--data", a.data).splitlines()[0]
        print(f"files: a Backprop model loads in PyTorch: PyTorch accuracy {(torch_classes == labels).float().mean().item():.2%}; backprop eval: {our_eval}")

        torch.manual_seed(1)
        theirs = mlp([784, 32, 10])
        path = os.path.join(tmp, "theirs.safetensors")
        save_safetensors(path, theirs.state_dict())
        with torch.no_grad():
            probabilities = torch.softmax(theirs(images), 1)
        expected_p, expected_c = probabilities.max(1)
        rows = backprop("predict", "--model", path, "--layers", "784,32,10", "--activation", "relu", "--input",
                        next(os.path.join(a.data, f) for f in sorted(os.listdir(a.data)) if f.startswith("t10k-images"))).splitlines()[1:]
        classes = torch.tensor([int(r.split(",")[1]) for r in rows])
        p = torch.tensor([float(r.split(",")[2]) for r in rows])
        print(f"files: a PyTorch state dict without metadata through backprop predict: {int((classes == expected_c).sum())}/{len(rows)} classes agree, "
              f"largest probability difference {(p - expected_p).abs().max().item():.2g}")


LENET5 = ("Conv2d(1, 6, 5, padding=2), ReLU(), MaxPool2d(2), Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(), "
          "Linear(400, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)")


def network(a):
    """The network of --arch (torch.nn constructor calls, which is what the text is) or of --layers."""
    if a.arch is None:
        return mlp([int(s) for s in a.layers.split(",")])
    text = LENET5 if a.arch == "lenet5" else a.arch
    return eval("nn.Sequential(" + re.sub(r"\b([A-Z]\w*)\(", r"nn.\1(", text) + ")", {"nn": nn})


def optimizer_for(a, parameters):
    return {"adam": lambda: torch.optim.Adam(parameters, lr=a.lr), "sgd": lambda: torch.optim.SGD(parameters, lr=a.lr),
            "momentum": lambda: torch.optim.SGD(parameters, lr=a.lr, momentum=a.momentum)}[a.optimizer]()


def check_seeds(a):
    shape = (-1, 784) if a.arch is None else (-1, 1, 28, 28)
    train_x, train_y = load_set(a.data, "train", shape)
    test_x, test_y = load_set(a.data, "t10k", shape)
    torch.set_num_threads(a.threads)
    for seed in range(1, a.count + 1):
        torch.manual_seed(seed)
        model = network(a)
        optimizer = optimizer_for(a, model.parameters())
        loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(train_x, train_y), batch_size=a.batch_size, shuffle=True)
        started = time.time()
        for _ in range(a.epochs):
            for x, y in loader:
                optimizer.zero_grad()
                nn.functional.cross_entropy(model(x), y).backward()
                optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        print(f"seeds: PyTorch {torch.__version__} {a.arch or a.layers} {a.optimizer} lr {a.lr} batch {a.batch_size} {a.epochs} epochs seed {seed}: "
              f"test accuracy {accuracy:.2%} ({time.time() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("check", choices=["steps", "files", "seeds"])
    parser.add_argument("--data", default=os.path.join(ROOT, "data/mnist"))
    parser.add_argument("--layers", default="784,128,10")
    parser.add_argument("--arch", help="seeds: a network in train --arch's text, or lenet5 (instead of --layers)")
    parser.add_argument("--optimizer", default="sgd", choices=["sgd", "momentum", "adam"])
    parser.add_argument("--momentum", type=float, default=0.9)
    parser.add_argument("--lr", type=float, default=0.1)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--count", type=int, default=5, help="seeds: how many seeds (1..count)")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    {"steps": check_steps, "files": check_files, "seeds": check_seeds}[args.check](args)
