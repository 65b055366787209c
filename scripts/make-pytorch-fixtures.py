#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures that Backprop's tests compare against.

Why: Backprop mirrors PyTorch (its optimizers' update rules, its losses, its activations, its Linear layers), so PyTorch
itself is the reference. The fixtures are small files committed under tests/Backprop.Tests/Fixtures/PyTorch/; the tests
read them, so neither CI nor a developer needs PyTorch to run the tests. Only regenerating them does.

What it writes (float32 throughout; every tensor as {"shape": [...], "values": [row-major]}; floats in JSON are the
shortest decimals that read back as the same float32, so read them as float32, e.g. JsonElement.GetSingle()):

  tiny.csv            96 examples, features x1..x4 and a class `label` in {0, 1, 2}: three noisy clusters. Every
                      feature is a multiple of 1/64, so its decimal text is exact in float32 and float64 alike.
  mlp-training.json   A 4-8-3 MLP, nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)): its initial weights, and for each
                      of seven optimizer configurations (sgd, momentum, nesterov, sgd with weight decay, adam, adamw,
                      rmsprop) the weights after exactly 24 optimizer steps of CrossEntropyLoss on tiny.csv, batch size
                      32 in file order (3 batches per epoch, 8 epochs), each from the same initial weights; with the
                      optimizer's hyperparameters as PyTorch holds them (defaults included) and the `backprop train`
                      options that ask for the same run.
  optimizers.json     Every optimizer variant Backprop has (SGD plain, momentum with dampening, Nesterov, weight decay;
                      Adam, Adam with weight decay and other betas/eps; AdamW; RMSprop plain, with momentum, centered
                      with momentum and weight decay) for a few steps on one fixed problem with 2-D parameters,
                      loss = mse_loss(x @ weight.T + bias, y) with weight [3, 4], bias [3], x [6, 4], y [6, 3]; and both
                      LR schedules (StepLR, CosineAnnealingLR) stepped once after every optimizer step: the parameters
                      after every step and the learning rate after every schedule step.
  mlp-gradients.json  One fixed batch x [5, 4] through a 4-8-3 MLP with each activation Backprop shares with PyTorch
                      (PyTorch's default parameters) under CrossEntropyLoss, and through 4-8-3 and 4-8-1 MLPs under
                      MSELoss and BCEWithLogitsLoss (targets as the task of Backprop's ModelDescription (ClassificationTask.EncodeTargets) shapes them: one-hot
                      for several outputs, [N, 1] for one): the outputs, the loss and the gradient of every parameter.
  conv-layers.json    Each image layer kind Backprop shares with PyTorch (Conv2d with strides, paddings including 'same'
                      with an even kernel, 'valid', pairs, dilations, groups, no bias; MaxPool2d, AvgPool2d with and
                      without the padding counted, AdaptiveAvgPool2d with overlapping and growing windows; BatchNorm1d on
                      [N, C] and [N, C, L] and BatchNorm2d: training steps with momentum and with a cumulative average, and
                      evaluation; LeakyReLU and ELU with their parameters; Flatten(start_dim=2)) in a few configurations:
                      the layer's constructor arguments, its state dict before (PyTorch's initialisation, BatchNorm's
                      weight, bias and buffers set to varied values), an input x and an upstream gradient g; the output y,
                      d(sum(y·g))/dx and d/dparameter, and for BatchNorm the buffers after each step. And a small conv
                      net, Sequential(Conv2d, BatchNorm2d, ReLU, MaxPool2d, Conv2d, ReLU, AdaptiveAvgPool2d, Flatten,
                      Linear), through one CrossEntropyLoss step on int64 targets: its state-dict keys in order, output,
                      loss, gradients and buffers.

The weights are PyTorch's default initialisation under torch.manual_seed, so the files are the same on every run of the
same PyTorch build. To regenerate (Debian's python3-torch 1.13; nothing is downloaded):

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 scripts/make-pytorch-fixtures.py

then run the tests: dotnet test tests/Backprop.Tests --filter "FullyQualifiedName~PyTorch"
"""
import json
import os

import numpy as np
import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "Backprop.Tests", "Fixtures", "PyTorch")
SCRIPT = "scripts/make-pytorch-fixtures.py"

ACTIVATIONS = {  # Backprop's names (the Activation catalog, src/Backprop/NN/Activation.Catalog.cs) -> PyTorch's module with its defaults
    "identity": nn.Identity,
    "sigmoid": nn.Sigmoid,
    "tanh": nn.Tanh,
    "relu": nn.ReLU,
    "leaky-relu": nn.LeakyReLU,  # negative_slope 0.01
    "elu": nn.ELU,               # alpha 1.0
    "gelu": nn.GELU,             # approximate='none': x·Φ(x) with the exact erf
    "silu": nn.SiLU,
    "softplus": nn.Softplus,     # beta 1, threshold 20
}

# The optimizer hyperparameters that change the numbers (PyTorch's foreach/capturable/differentiable/fused do not).
HYPERPARAMETERS = {
    "SGD": ["lr", "momentum", "dampening", "nesterov", "weight_decay", "maximize"],
    "Adam": ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"],
    "AdamW": ["lr", "betas", "eps", "weight_decay", "amsgrad", "maximize"],
    "RMSprop": ["lr", "alpha", "eps", "weight_decay", "momentum", "centered", "maximize"],
}


def f32(value):
    """A float32 as the shortest decimal that reads back as the same float32 (numpy's float32 repr)."""
    return float(repr(np.float32(value)))


def tensor(t):
    if t.dtype == torch.int64:  # a BatchNorm's num_batches_tracked, class targets: exact integers, marked as such
        return {"shape": list(t.shape), "dtype": "int64", "values": t.reshape(-1).tolist()}
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "values": [f32(v) for v in t.reshape(-1).tolist()]}


def state(module):
    return {name: tensor(value) for name, value in module.state_dict().items()}


def gradients(module):
    return {name: tensor(p.grad) for name, p in module.named_parameters()}


def hyperparameters(optimizer):
    group = optimizer.param_groups[0]
    return {key: list(group[key]) if isinstance(group[key], tuple) else group[key] for key in HYPERPARAMETERS[type(optimizer).__name__]}


def mlp(layers, activation):
    modules = []
    for i in range(len(layers) - 1):
        if i > 0:
            modules.append(ACTIVATIONS[activation]())
        modules.append(nn.Linear(layers[i], layers[i + 1]))
    return nn.Sequential(*modules)


def write_json(name, content):
    with open(os.path.join(OUT, name), "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")


def about(what):
    return f"{what} Computed by PyTorch {torch.__version__} with {SCRIPT}; regenerate with: " \
           f"LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 {SCRIPT}"


def quantised(t, step=64):
    """Rounds to multiples of 1/step: short decimals, exact in float32 and float64."""
    return torch.round(t * step) / step


def tiny_dataset():
    generator = torch.Generator().manual_seed(7)
    centers = 1.5 * torch.randn(3, 4, generator=generator)
    labels = torch.randint(0, 3, (96,), generator=generator)
    x = quantised(centers[labels] + torch.randn(96, 4, generator=generator))
    with open(os.path.join(OUT, "tiny.csv"), "w") as f:
        f.write("x1,x2,x3,x4,label\n")
        for row, label in zip(x.tolist(), labels.tolist()):
            f.write(",".join(repr(float(np.float32(v))) for v in row) + f",{label}\n")
    return x.to(torch.float32), labels


# The seven configurations of the done-criterion: name, optimizer factory, `backprop train` options.
TRAINING = [
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1), ["--optimizer", "sgd", "--lr", "0.1"]),
    ("momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9), ["--optimizer", "momentum", "--lr", "0.1", "--momentum", "0.9"]),
    ("nesterov", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True), ["--optimizer", "nesterov", "--lr", "0.1", "--momentum", "0.9"]),
    ("sgd-weight-decay", lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.01), ["--optimizer", "sgd", "--lr", "0.1", "--weight-decay", "0.01"]),
    ("adam", lambda p: torch.optim.Adam(p, lr=0.001), ["--optimizer", "adam", "--lr", "0.001"]),
    # PyTorch's defaults are the point here: AdamW's weight decay 0.01, RMSprop's alpha 0.99, eps 1e-8 and no momentum.
    ("adamw", lambda p: torch.optim.AdamW(p, lr=0.001), ["--optimizer", "adamw", "--lr", "0.001"]),
    ("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.001), ["--optimizer", "rmsprop", "--lr", "0.001"]),
]


def mlp_training(x, labels):
    batch_size, steps = 32, 24
    torch.manual_seed(1)
    initial = mlp([4, 8, 3], "relu")
    configurations = []
    for name, create, options in TRAINING:
        model = mlp([4, 8, 3], "relu")
        model.load_state_dict(initial.state_dict())
        optimizer = create(model.parameters())
        for step in range(steps):
            start = (step * batch_size) % len(x)  # file order, epoch after epoch
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x[start:start + batch_size]), labels[start:start + batch_size]).backward()
            optimizer.step()
        configurations.append({"name": name, "optimizer": type(optimizer).__name__, "hyperparameters": hyperparameters(optimizer),
                               "options": options, "weights": state(model)})
    write_json("mlp-training.json", {
        "about": about(f"nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)) trained with CrossEntropyLoss on tiny.csv (target 'label'), "
                       f"batch size {batch_size} in file order, for exactly {steps} optimizer steps from the same initial weights "
                       f"with each optimizer; 'options' are the backprop train options that choose the optimizer."),
        "data": "tiny.csv", "target": "label", "layers": [4, 8, 3], "activation": "relu", "loss": "cross-entropy",
        "batch_size": batch_size, "steps": steps, "epochs": steps * batch_size // len(x),
        "initial": state(initial), "configurations": configurations,
    })


# Library-level cases: name, optimizer factory, schedule factory (or None), steps.
OPTIMIZERS = [
    ("sgd", lambda p: torch.optim.SGD(p, lr=0.1), None, 5),
    ("sgd-momentum-dampening", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1), None, 5),
    ("sgd-nesterov", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True), None, 5),
    ("sgd-weight-decay", lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.1), None, 5),
    ("sgd-momentum-weight-decay", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, weight_decay=0.1), None, 5),
    ("adam", lambda p: torch.optim.Adam(p, lr=0.05), None, 5),
    ("adam-weight-decay", lambda p: torch.optim.Adam(p, lr=0.05, weight_decay=0.1), None, 5),
    ("adam-betas-eps", lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-3), None, 5),
    ("adamw", lambda p: torch.optim.AdamW(p, lr=0.05), None, 5),
    ("adamw-weight-decay", lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.5), None, 5),
    ("rmsprop", lambda p: torch.optim.RMSprop(p, lr=0.01), None, 5),
    ("rmsprop-momentum", lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5), None, 5),
    ("rmsprop-centered-momentum-weight-decay",
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, momentum=0.9, centered=True, weight_decay=0.1), None, 5),
    ("steplr-sgd-momentum", lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9),
     lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5), 6),
    # Six steps with T_max 4: down to eta_min and back up along the cosine.
    ("cosine-adam", lambda p: torch.optim.Adam(p, lr=0.05),
     lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.001), 6),
]


def schedule_description(scheduler):
    if scheduler is None:
        return None
    if isinstance(scheduler, torch.optim.lr_scheduler.StepLR):
        return {"kind": "StepLR", "step_size": scheduler.step_size, "gamma": scheduler.gamma}
    return {"kind": "CosineAnnealingLR", "T_max": scheduler.T_max, "eta_min": scheduler.eta_min}


def optimizers():
    generator = torch.Generator().manual_seed(3)
    x = quantised(torch.randn(6, 4, generator=generator))
    y = quantised(torch.randn(6, 3, generator=generator))
    weight0 = quantised(torch.randn(3, 4, generator=generator) * 0.5)
    bias0 = quantised(torch.randn(3, generator=generator) * 0.5)
    cases = []
    for name, create, schedule, steps in OPTIMIZERS:
        weight, bias = weight0.clone().requires_grad_(), bias0.clone().requires_grad_()
        optimizer = create([weight, bias])
        settings = hyperparameters(optimizer)  # before a schedule changes the lr
        scheduler = schedule(optimizer) if schedule else None
        record = []
        for _ in range(steps):
            optimizer.zero_grad()
            nn.functional.mse_loss(x @ weight.T + bias, y).backward()
            optimizer.step()
            entry = {"weight": tensor(weight), "bias": tensor(bias)}
            if scheduler is not None:
                scheduler.step()
                entry["lr"] = scheduler.get_last_lr()[0]
            record.append(entry)
        cases.append({"name": name, "optimizer": type(optimizer).__name__, "hyperparameters": settings,
                      "schedule": schedule_description(scheduler), "steps": record})
    write_json("optimizers.json", {
        "about": about("Each case starts from 'weight' and 'bias' and takes optimizer steps on loss = mse_loss(x @ weight.T + bias, y) "
                       "(mean over all 18 elements); after each step it records the parameters and, with a schedule, the learning "
                       "rate after schedule.step() (called once after every optimizer step)."),
        "x": tensor(x), "y": tensor(y), "weight": tensor(weight0), "bias": tensor(bias0), "cases": cases,
    })


def mlp_gradients():
    generator = torch.Generator().manual_seed(5)
    x = quantised(torch.randn(5, 4, generator=generator))
    classes = torch.tensor([0, 2, 1, 2, 0])
    values = quantised(torch.randn(5, generator=generator))
    binary = torch.tensor([1, 0, 0, 1, 1])
    torch.manual_seed(2)
    models = {"4-8-3": mlp([4, 8, 3], "relu").state_dict(), "4-8-1": mlp([4, 8, 1], "relu").state_dict()}

    cases = []

    def case(layers, activation, loss, targets):
        key = "-".join(map(str, layers))
        model = mlp(layers, activation)
        model.load_state_dict(models[key])
        output = model(x)
        if loss == "cross-entropy":
            value = nn.CrossEntropyLoss()(output, targets)
        else:  # as ModelDescription's task encodes them (ClassificationTask.EncodeTargets): one-hot for several outputs, [N, 1] for one
            encoded = nn.functional.one_hot(targets, layers[-1]).float() if layers[-1] > 1 else targets.float().reshape(-1, 1)
            value = (nn.MSELoss() if loss == "mse" else nn.BCEWithLogitsLoss())(output, encoded)
        value.backward()
        cases.append({"model": key, "activation": activation, "loss": loss, "targets": [f32(t) for t in targets.tolist()],
                      "output": tensor(output), "loss_value": f32(value.item()), "gradients": gradients(model)})

    for activation in ACTIVATIONS:
        case([4, 8, 3], activation, "cross-entropy", classes)
    case([4, 8, 3], "relu", "mse", classes)
    case([4, 8, 1], "tanh", "mse", values)
    case([4, 8, 3], "relu", "bce", classes)
    case([4, 8, 1], "sigmoid", "bce", binary)
    write_json("mlp-gradients.json", {
        "about": about("The batch x through nn.Sequential(Linear, activation, Linear) with the weights of 'models' (PyTorch's "
                       "default initialisation); 'targets' are class indices or values, encoded as Backprop's "
                       "ModelDescription's task (ClassificationTask.EncodeTargets) does (one-hot for MSE/BCE with several outputs, [N, 1] for one output); "
                       "'gradients' are d loss / d parameter after one backward pass."),
        "x": tensor(x), "models": {k: {n: tensor(t) for n, t in v.items()} for k, v in models.items()}, "cases": cases,
    })


# Image layers: name, constructor, constructor arguments as recorded for the test (PyTorch's names), input shape.
CONV_LAYERS = [
    ("conv-3x3", nn.Conv2d, {"in_channels": 3, "out_channels": 4, "kernel_size": [3, 3]}, [2, 3, 7, 6]),
    ("conv-stride-2-padding-1", nn.Conv2d, {"in_channels": 2, "out_channels": 3, "kernel_size": [3, 3], "stride": [2, 2], "padding": [1, 1]}, [2, 2, 9, 8]),
    ("conv-same-even-kernel-dilation", nn.Conv2d, {"in_channels": 2, "out_channels": 3, "kernel_size": [4, 2], "padding": "same", "dilation": [1, 2]}, [1, 2, 6, 7]),
    ("conv-padding-pair-dilation-2", nn.Conv2d, {"in_channels": 1, "out_channels": 2, "kernel_size": [2, 3], "padding": [2, 1], "dilation": [2, 2]}, [2, 1, 8, 9]),
    ("conv-groups-2-stride-pair", nn.Conv2d, {"in_channels": 4, "out_channels": 6, "kernel_size": [3, 3], "stride": [1, 2], "padding": [1, 1], "groups": 2}, [2, 4, 5, 7]),
    ("conv-depthwise-valid-no-bias", nn.Conv2d, {"in_channels": 3, "out_channels": 6, "kernel_size": [3, 3], "padding": "valid", "groups": 3, "bias": False}, [2, 3, 6, 6]),
    ("conv-lenet-first", nn.Conv2d, {"in_channels": 1, "out_channels": 6, "kernel_size": [5, 5], "padding": [2, 2]}, [1, 1, 8, 8]),
    ("maxpool-2", nn.MaxPool2d, {"kernel_size": [2, 2]}, [2, 3, 6, 8]),
    ("maxpool-3-stride-2-padding-1", nn.MaxPool2d, {"kernel_size": [3, 3], "stride": [2, 2], "padding": [1, 1]}, [2, 2, 7, 5]),
    ("maxpool-overlapping", nn.MaxPool2d, {"kernel_size": [3, 2], "stride": [1, 2]}, [1, 2, 5, 7]),
    ("avgpool-2", nn.AvgPool2d, {"kernel_size": [2, 2]}, [2, 3, 6, 8]),
    ("avgpool-3-stride-2-padding-1", nn.AvgPool2d, {"kernel_size": [3, 3], "stride": [2, 2], "padding": [1, 1]}, [2, 2, 7, 5]),
    ("avgpool-padding-not-counted", nn.AvgPool2d, {"kernel_size": [2, 3], "stride": [1, 2], "padding": [1, 1], "count_include_pad": False}, [1, 2, 5, 6]),
    ("adaptive-avgpool-overlapping", nn.AdaptiveAvgPool2d, {"output_size": [3, 2]}, [2, 2, 7, 5]),
    ("adaptive-avgpool-global", nn.AdaptiveAvgPool2d, {"output_size": [1, 1]}, [2, 3, 4, 5]),
    ("adaptive-avgpool-growing", nn.AdaptiveAvgPool2d, {"output_size": [4, 5]}, [1, 2, 3, 3]),
    ("leaky-relu-0.2", nn.LeakyReLU, {"negative_slope": 0.2}, [2, 3, 4]),
    ("elu-0.5", nn.ELU, {"alpha": 0.5}, [2, 3, 4]),
    ("flatten-start-2", nn.Flatten, {"start_dim": 2}, [2, 3, 2, 2]),
]

# BatchNorm: name, constructor, arguments, input shape; each takes two training steps then one evaluation.
BATCH_NORMS = [
    ("batchnorm2d", nn.BatchNorm2d, {"num_features": 3}, [4, 3, 2, 3]),
    ("batchnorm2d-cumulative-average", nn.BatchNorm2d, {"num_features": 2, "momentum": None}, [3, 2, 4, 4]),
    ("batchnorm1d-nc", nn.BatchNorm1d, {"num_features": 4}, [6, 4]),
    ("batchnorm1d-ncl-momentum-0.3-eps-0.01", nn.BatchNorm1d, {"num_features": 3, "momentum": 0.3, "eps": 0.01}, [5, 3, 4]),
]


def constructor_arguments(args):
    return {k: tuple(v) if isinstance(v, list) else v for k, v in args.items()}


def forward_backward(layer, x, g):
    layer.zero_grad()  # each step's own gradients, not their running sum
    x = x.clone().requires_grad_()
    y = layer(x)
    (y * g).sum().backward()
    return {"y": tensor(y), "dx": tensor(x.grad),
            "parameter_gradients": {name: tensor(p.grad) for name, p in layer.named_parameters()}}


def conv_layers():
    generator = torch.Generator().manual_seed(11)

    def draw(shape, scale=1.0):
        return quantised(torch.randn(*shape, generator=generator) * scale)

    cases = []
    torch.manual_seed(4)
    for name, kind, args, shape in CONV_LAYERS:
        layer = kind(**constructor_arguments(args))
        x = draw(shape)
        g = draw(layer(x).shape, 0.5)
        case = {"name": name, "layer": kind.__name__, "args": args, "state": state(layer), "x": tensor(x), "g": tensor(g)}
        case.update(forward_backward(layer, x, g))
        cases.append(case)
    for name, kind, args, shape in BATCH_NORMS:
        layer = kind(**constructor_arguments(args))
        features = args["num_features"]
        with torch.no_grad():  # varied values, so that no weight is 1, no bias 0, and the buffers are no longer fresh
            layer.weight.copy_(quantised(1 + 0.5 * torch.randn(features, generator=generator)))
            layer.bias.copy_(draw([features], 0.5))
            layer.running_mean.copy_(draw([features], 0.5))
            layer.running_var.copy_(quantised(0.5 + torch.rand(features, generator=generator)))
            layer.num_batches_tracked.fill_(3)
        case = {"name": name, "layer": kind.__name__, "args": args, "state": state(layer), "steps": []}
        for step in range(2):
            x = draw(shape, 1.5) + 0.25 * (step + 1)
            g = draw(shape, 0.5)
            entry = {"x": tensor(x), "g": tensor(g)}
            entry.update(forward_backward(layer, x, g))
            entry["buffers"] = {n: tensor(b) for n, b in layer.named_buffers()}
            case["steps"].append(entry)
        layer.eval()
        x, g = draw(shape, 1.5), draw(shape, 0.5)
        case["eval"] = {"x": tensor(x), "g": tensor(g)}
        case["eval"].update(forward_backward(layer, x, g))
        cases.append(case)

    torch.manual_seed(6)
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 3), nn.ReLU(),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 3))
    initial = state(net)
    x = draw([5, 1, 10, 10])
    targets = torch.tensor([2, 0, 1, 1, 0])
    output = net(x)
    loss = nn.CrossEntropyLoss()(output, targets)
    loss.backward()
    network = {"architecture": "Conv2d(1, 4, 3, padding=1), BatchNorm2d(4), ReLU(), MaxPool2d(2), Conv2d(4, 6, 3), ReLU(), "
                               "AdaptiveAvgPool2d(1), Flatten(), Linear(6, 3)",
               "keys": list(net.state_dict().keys()), "initial": initial, "x": tensor(x), "targets": tensor(targets),
               "output": tensor(output), "loss": f32(loss.item()), "gradients": gradients(net),
               "buffers": {n: tensor(b) for n, b in net.named_buffers()}}
    write_json("conv-layers.json", {
        "about": about("Each case: the layer made with 'args' (PyTorch's constructor arguments; pairs as lists), its state dict "
                       "'state', an input x and an upstream gradient g; y = layer(x), dx = d(sum(y·g))/dx and the parameters' "
                       "gradients. BatchNorm cases take two training steps (buffers after each) and then one step in eval mode. "
                       "'network' is one CrossEntropyLoss step of a small conv net on int64 targets."),
        "cases": cases, "network": network,
    })


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)  # one summation order
    x, labels = tiny_dataset()
    mlp_training(x, labels)
    optimizers()
    mlp_gradients()
    conv_layers()
    for name in sorted(os.listdir(OUT)):
        print(f"{os.path.relpath(os.path.join(OUT, name), ROOT)}: {os.path.getsize(os.path.join(OUT, name))} bytes")


if __name__ == "__main__":
    main()
