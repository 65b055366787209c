#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures for Backprop's text and sequence layers (issue 24).

Same conventions as make-pytorch-fixtures.py (float32; tensors as {"shape", "values"} with the shortest decimals that
read back as the same float32; int64 tensors marked "dtype": "int64"); safetensors files are written without metadata,
with PyTorch's state-dict keys (torchref.save_safetensors). Everything below tests/Backprop.Tests/Fixtures/PyTorch/:

  text-layers.json      For each layer, PyTorch's constructor arguments ("args"), its state dict ("state": PyTorch's
                        seeded initialisation; LayerNorm's and MultiheadAttention's ones and zeros replaced by varied values
                        so that a weight mixed up with a bias shows), a fixed input x and upstream gradient g; the output y,
                        dx = d(sum(y·g))/dx and every parameter's gradient. Embedding (padding_idx, repeated indices: x is
                        int64, no dx), LayerNorm (affine on/off, bias off, 2-D normalized_shape), GELU none/tanh,
                        MultiheadAttention (self-attention q = k = v = x, batch_first False/True, bias False, causal mask:
                        "causal" true), RNN tanh/relu, LSTM (batch_first both), GRU, 2 layers each: the output sequence,
                        plus "state" (h_n, and c_n for the LSTM) with its own upstream gradients "state_g" in the loss,
                        and an initial state "state0" with its gradient "dstate0" where given. "cross_entropy": logits
                        [B, T, V] and targets [B, T] with ignored positions: the mean loss and d loss/d logits. "gpt":
                        nanoGPT's GPT (scripts/nanogpt.py), bias True (its biases and LayerNorm weights then varied from 0
                        and 1) and False: logits, loss and every parameter's gradient (named_parameters: the tied weight
                        once, as transformer.wte.weight, with the sum of both uses' gradients; the state holds both keys).
  text-training/        text.txt, the small text every run trains on (made here from a fixed word list and a linear
                        congruential generator, so it is the same everywhere), and four runs of 10 steps from
                        PyTorch-initialised weights, <run>-init.safetensors, with the weights after the 10th step in
                        <run>-final.safetensors; text-training.json records each run's hyperparameters, every step's
                        loss, gradient norm before clipping and learning rate. README.md there gives the runs.
                        gpt-trained.safetensors is a small GPT trained 200 steps on text.txt; text-training.json's
                        "trained" entry has its architecture, validation loss (Backprop's eval: the whole validation split
                        in consecutive windows of T, the mean over all predictions) and greedy continuation.

The batches of the runs are Backprop's --no-shuffle order: batch s takes the windows starting at (s·B + b)·T of the
training split (the first 90 % of the tokens), inputs tokens[o:o+T], targets tokens[o+1:o+T+1].

Regenerate (Debian's python3-torch 1.13; one thread, so every sum has one order; nothing is downloaded):

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 scripts/make-pytorch-text-fixtures.py

then: dotnet test tests/Backprop.Tests --filter "FullyQualifiedName~TextLayersParity|FullyQualifiedName~TextTrainingParity"
"""
import importlib.util
import json
import os
import sys

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nanogpt  # noqa: E402
import torchref  # noqa: E402

_spec = importlib.util.spec_from_file_location("fixtures", os.path.join(os.path.dirname(os.path.abspath(__file__)), "make-pytorch-fixtures.py"))
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
tensor, f32, quantised, state, gradients = fixtures.tensor, fixtures.f32, fixtures.quantised, fixtures.state, fixtures.gradients

OUT = fixtures.OUT
TRAINING = os.path.join(OUT, "text-training")
SCRIPT = "scripts/make-pytorch-text-fixtures.py"


def about(what):
    return f"{what} Computed by PyTorch {torch.__version__} with {SCRIPT} (its docstring says more); regenerate with: " \
           f"LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 {SCRIPT}"


def write_json(path, content):
    with open(path, "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------------------------------------------------------- layers

class LayerNormNoBias(nn.LayerNorm):
    """PyTorch 1.13's LayerNorm has no bias=False (2.1 added it): the same module with its bias removed."""

    def __init__(self, normalized_shape):
        super().__init__(normalized_shape)
        del self.bias
        self.register_parameter("bias", None)


def recurrent(kind, args):
    return {"RNN": nn.RNN, "LSTM": nn.LSTM, "GRU": nn.GRU}[kind](**args)


def layer_cases(draw):
    cases = []

    def case(name, kind, args, layer, x, extra=None):
        layer.zero_grad()
        x = x.clone()
        entry = {"name": name, "layer": kind, "args": args, "state": state(layer), "x": tensor(x)}
        if x.is_floating_point():
            x.requires_grad_()
        if kind == "MultiheadAttention":
            mask = torch.triu(torch.full((x.shape[1 if args.get("batch_first") else 0],) * 2, float("-inf")), 1) if extra else None
            y = layer(x, x, x, attn_mask=mask, need_weights=False)[0]
            entry["causal"] = bool(extra)
        elif kind in ("RNN", "LSTM", "GRU"):
            y, final = layer(x, extra) if extra is not None else layer(x)
        else:
            y = layer(x)
        g = draw(y.shape, 0.5)
        loss = (y * g).sum()
        if kind in ("RNN", "LSTM", "GRU"):
            finals = list(final) if kind == "LSTM" else [final]
            state_g = [draw(s.shape, 0.5) for s in finals]
            loss = loss + sum((s * sg).sum() for s, sg in zip(finals, state_g))
            entry.update({"final_state": [tensor(s) for s in finals], "state_g": [tensor(s) for s in state_g]})
        loss.backward()
        entry.update({"g": tensor(g), "y": tensor(y), "parameter_gradients": gradients(layer)})
        if x.is_floating_point():
            entry["dx"] = tensor(x.grad)
        if kind in ("RNN", "LSTM", "GRU") and extra is not None:
            initial = list(extra) if kind == "LSTM" else [extra]
            entry.update({"state0": [tensor(s) for s in initial], "dstate0": [tensor(s.grad) for s in initial]})
        cases.append(entry)

    torch.manual_seed(21)
    indices = torch.tensor([[1, 2, 3, 1], [2, 9, 1, 0]])  # 1 three times, the padding row 2 twice
    case("embedding-padding-idx", "Embedding", {"num_embeddings": 10, "embedding_dim": 4, "padding_idx": 2},
         nn.Embedding(10, 4, padding_idx=2), indices)
    case("embedding-repeated", "Embedding", {"num_embeddings": 7, "embedding_dim": 3}, nn.Embedding(7, 3), torch.tensor([5, 0, 5, 5, 6]))

    def varied_layer_norm(layer):
        with torch.no_grad():
            for p in layer.parameters():
                p.copy_(quantised(draw(p.shape, 0.5) + (1 if p is layer.weight else 0)))
        return layer

    case("layernorm", "LayerNorm", {"normalized_shape": [6]}, varied_layer_norm(nn.LayerNorm(6)), draw([2, 3, 6], 2) + 0.5)
    case("layernorm-2d-shape", "LayerNorm", {"normalized_shape": [3, 4]}, varied_layer_norm(nn.LayerNorm([3, 4])), draw([2, 3, 4], 1.5))
    case("layernorm-no-affine-eps", "LayerNorm", {"normalized_shape": [5], "eps": 0.001, "elementwise_affine": False},
         nn.LayerNorm(5, eps=1e-3, elementwise_affine=False), draw([4, 5]))
    case("layernorm-no-bias-2d-shape", "LayerNorm", {"normalized_shape": [2, 3], "bias": False},
         varied_layer_norm(LayerNormNoBias([2, 3])), draw([3, 2, 3], 1.5))
    gelu_x = torch.cat([draw([14], 2.5), torch.tensor([-6.0, -3.0, 0.0, 3.0, 6.0, 10.0])]).reshape(4, 5)
    case("gelu", "GELU", {}, nn.GELU(), gelu_x)
    case("gelu-tanh", "GELU", {"approximate": "tanh"}, nn.GELU(approximate="tanh"), gelu_x)

    def varied_attention(layer):
        with torch.no_grad():
            for name, p in layer.named_parameters():
                if name.endswith("bias"):
                    p.copy_(quantised(draw(p.shape, 0.3)))
        return layer

    for name, args, shape, causal in [("mha", {"embed_dim": 6, "num_heads": 2}, [4, 2, 6], False),
                                      ("mha-batch-first-causal", {"embed_dim": 6, "num_heads": 2, "batch_first": True}, [2, 4, 6], True),
                                      ("mha-no-bias-causal", {"embed_dim": 6, "num_heads": 3, "bias": False}, [4, 2, 6], True),
                                      ("mha-batch-first-no-bias", {"embed_dim": 4, "num_heads": 1, "bias": False, "batch_first": True}, [2, 3, 4], False)]:
        case(name, "MultiheadAttention", args, varied_attention(nn.MultiheadAttention(**args)), draw(shape), causal)

    for name, kind, args, shape, with_state0 in [
            ("rnn-tanh", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, [4, 2, 3], False),
            ("rnn-relu-batch-first-state0", "RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "nonlinearity": "relu", "batch_first": True}, [2, 4, 3], True),
            ("lstm", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, [4, 2, 3], False),
            ("lstm-batch-first-state0", "LSTM", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "batch_first": True}, [2, 4, 3], True),
            ("gru", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2}, [4, 2, 3], False),
            ("gru-batch-first-no-bias-state0", "GRU", {"input_size": 3, "hidden_size": 4, "num_layers": 2, "batch_first": True, "bias": False}, [2, 4, 3], True)]:
        layer = recurrent(kind, args)
        extra = None
        if with_state0:
            batch = shape[0] if args.get("batch_first") else shape[1]
            states = [draw([2, batch, 4], 0.5).requires_grad_() for _ in range(2 if kind == "LSTM" else 1)]
            extra = tuple(states) if kind == "LSTM" else states[0]
        case(name, kind, args, layer, draw(shape), extra)
    return cases


def cross_entropy_cases(draw):
    cases = []
    for name, ignore_index, targets in [
            ("ignore-default", -100, [[0, 3, -100, 6, 2], [-100, -100, 1, 1, 5]]),
            ("ignore-class-3", 3, [[0, 3, 4, 6, 2], [3, 3, 1, 1, 5]])]:
        logits = draw([2, 5, 7], 2).requires_grad_()
        target = torch.tensor(targets)
        loss = F.cross_entropy(logits.reshape(-1, 7), target.reshape(-1), ignore_index=ignore_index)
        loss.backward()
        cases.append({"name": name, "ignore_index": ignore_index, "logits": tensor(logits), "targets": tensor(target),
                      "loss": f32(loss.item()), "dlogits": tensor(logits.grad)})
    return cases


def gpt_cases():
    cases = []
    config = {"vocab_size": 7, "block_size": 6, "n_layer": 2, "n_head": 2, "n_embd": 4}
    idx = torch.tensor([[1, 0, 6, 6, 2], [3, 5, 4, 1, 0]])  # T = 5 < block_size: the position table is cropped
    targets = torch.tensor([[0, 6, 6, 2, 2], [5, 4, 1, 0, 3]])
    for seed, bias in [(31, True), (32, False)]:
        torch.manual_seed(seed)
        model = nanogpt.GPT(**config, bias=bias)
        if bias:  # nanoGPT's biases start at 0 and its LayerNorm weights at 1: vary them so that a mixed-up one shows
            generator = torch.Generator().manual_seed(seed)
            with torch.no_grad():
                for name, p in model.named_parameters():
                    if p.dim() == 1:
                        p.add_(quantised(0.2 * torch.randn(p.shape, generator=generator)))
        logits, loss = model(idx, targets)
        loss.backward()
        cases.append({"name": f"gpt-bias-{str(bias).lower()}", "config": dict(config, dropout=0.0, bias=bias), "state": state(model),
                      "idx": tensor(idx), "targets": tensor(targets), "logits": tensor(logits), "loss": f32(loss.item()),
                      "gradients": gradients(model)})
    return cases


def text_layers():
    generator = torch.Generator().manual_seed(20)

    def draw(shape, scale=1.0):
        return quantised(torch.randn(*shape, generator=generator) * scale)

    write_json(os.path.join(OUT, "text-layers.json"), {
        "about": about("Each case: the layer made with 'args' (PyTorch's constructor arguments), loaded with 'state', run on x; "
                       "y is its output (the output sequence for a recurrent layer, the attention output for MultiheadAttention "
                       "as self-attention), and the gradients are of sum(y·g) (+ sum(final_state·state_g) for a recurrent layer). "
                       "'cross_entropy': the mean over the targets not equal to ignore_index of [B, T, V] logits. 'gpt': "
                       "nanoGPT's loss (mean cross-entropy over every position) and its gradients."),
        "cases": layer_cases(draw), "cross_entropy": cross_entropy_cases(draw), "gpt": gpt_cases(),
    })


# -------------------------------------------------------------------------------------------------------------- training

WORDS = ("the quick brown fox jumps over lazy dog and a cat sat on mat while red hen ran to big old barn "
         "with six grey geese who sing of sun rain wind").split()


def make_text(n_words=240):
    """Words of WORDS picked by a linear congruential generator (Numerical Recipes' constants), in sentences and lines."""
    state, words = 12345, []
    for i in range(n_words):
        state = (1664525 * state + 1013904223) % 2 ** 32
        word = WORDS[(state >> 16) % len(WORDS)]
        words.append(word.capitalize() if i % 9 == 0 else word)
        words.append(".\n" if i % 9 == 8 else ", " if i % 9 == 4 else " ")
    return "".join(words).rstrip() + "\n"


class TextRnn(nn.Module):
    """Embedding, a recurrent layer, Linear, with the state-dict keys of Backprop's Sequential (0.*, 1.*, 2.*)."""

    def __init__(self, vocab, embedding, recurrent_layer, hidden):
        super().__init__()
        self.add_module("0", nn.Embedding(vocab, embedding))
        self.add_module("1", recurrent_layer)
        self.add_module("2", nn.Linear(hidden, vocab))

    def forward(self, x):
        return self._modules["2"](self._modules["1"](self._modules["0"](x))[0])


def consecutive_batch(train, step, batch_size, block_size):
    """Backprop's --no-shuffle batch: windows at (step·B + b)·T (the text is long enough for every run not to wrap)."""
    offsets = [(step * batch_size + b) * block_size for b in range(batch_size)]
    assert offsets[-1] + block_size + 1 <= len(train)
    return (torch.stack([train[o:o + block_size] for o in offsets]), torch.stack([train[o + 1:o + block_size + 1] for o in offsets]))


def runs(vocab):
    """The four runs: name -> (description for the README/test, model factory, optimizer factory, schedule, clip)."""
    gpt = dict(vocab_size=vocab, block_size=16, n_layer=2, n_head=2, n_embd=16)
    return [
        {"name": "gpt-adamw-cosine", "model": dict(gpt, dropout=0.0, bias=True), "batch_size": 4, "block_size": 16,
         "architecture": f"GPT(vocab_size={vocab}, block_size=16, n_layer=2, n_head=2, n_embd=16, dropout=0.0, bias=True)",
         # c_attn's key bias has a zero gradient up to rounding (a constant added to a query's every score), which Adam
         # turns into updates of up to lr·|g|/(|g| + eps): a modest lr keeps them, and so the two sides' difference, small.
         "optimizer": "AdamW", "lr": 3e-3, "betas": [0.9, 0.99], "eps": 1e-8, "weight_decay": 0.1, "decay_matrices_only": True,
         "schedule": {"warmup_steps": 3, "decay_steps": 10, "min_lr": 3e-4}, "clip_grad_norm": 1.0},
        {"name": "gpt-no-bias-adam-clip", "model": dict(gpt, dropout=0.0, bias=False), "batch_size": 4, "block_size": 16,
         "architecture": f"GPT(vocab_size={vocab}, block_size=16, n_layer=2, n_head=2, n_embd=16, dropout=0.0, bias=False)",
         "optimizer": "Adam", "lr": 3e-3, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0, "clip_grad_norm": 0.5},
        {"name": "lstm-adam", "model": {"embedding": 12, "lstm": {"hidden_size": 24, "num_layers": 2, "batch_first": True}},
         "batch_size": 4, "block_size": 16,
         "architecture": f"Embedding({vocab}, 12), LSTM(12, 24, num_layers=2, batch_first=True), Linear(24, {vocab})",
         "optimizer": "Adam", "lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0},
        {"name": "gru-sgd-momentum-clip", "model": {"embedding": 12, "gru": {"hidden_size": 24, "batch_first": True}},
         "batch_size": 4, "block_size": 16,
         "architecture": f"Embedding({vocab}, 12), GRU(12, 24, batch_first=True), Linear(24, {vocab})",
         "optimizer": "SGD", "lr": 0.5, "momentum": 0.9, "weight_decay": 0.0, "clip_grad_norm": 0.5},
    ]


def build(run, vocab):
    spec = run["model"]
    if "vocab_size" in spec:
        model = nanogpt.GPT(**{k: v for k, v in spec.items() if k != "dropout"})
        if run["optimizer"] == "AdamW":
            optimizer = model.configure_optimizers(run["weight_decay"], run["lr"], tuple(run["betas"]))
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=run["lr"], betas=tuple(run["betas"]), eps=run["eps"])
        return model, optimizer
    e = spec["embedding"]
    if "lstm" in spec:
        model = TextRnn(vocab, e, nn.LSTM(e, **spec["lstm"]), spec["lstm"]["hidden_size"])
        return model, torch.optim.Adam(model.parameters(), lr=run["lr"], betas=tuple(run["betas"]), eps=run["eps"])
    model = TextRnn(vocab, e, nn.GRU(e, **spec["gru"]), spec["gru"]["hidden_size"])
    return model, torch.optim.SGD(model.parameters(), lr=run["lr"], momentum=run["momentum"])


def logits_loss(model, x, y):
    if isinstance(model, nanogpt.GPT):
        return model(x, y)[1]
    logits = model(x)
    return F.cross_entropy(logits.reshape(-1, logits.size(-1)), y.reshape(-1))


def train_run(run, train, vocab, seed, steps=10):
    torch.manual_seed(seed)
    model, optimizer = build(run, vocab)
    torchref.save_safetensors(os.path.join(TRAINING, f"{run['name']}-init.safetensors"), model.state_dict())
    record = []
    for step in range(steps):
        entry = {}
        if "schedule" in run:
            s = run["schedule"]
            lr = nanogpt.get_lr(step, run["lr"], s["warmup_steps"], s["decay_steps"], s["min_lr"])
            for group in optimizer.param_groups:
                group["lr"] = lr
        entry["lr"] = optimizer.param_groups[0]["lr"]
        loss = logits_loss(model, *consecutive_batch(train, step, run["batch_size"], run["block_size"]))
        loss.backward()
        entry["loss"] = f32(loss.item())
        if "clip_grad_norm" in run:
            entry["grad_norm"] = f32(torch.nn.utils.clip_grad_norm_(model.parameters(), run["clip_grad_norm"]).item())
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        record.append(entry)
    torchref.save_safetensors(os.path.join(TRAINING, f"{run['name']}-final.safetensors"), model.state_dict())
    return record


def validation_loss(model, val, block_size):
    """Backprop's eval: all ⌊(n−1)/T⌋ consecutive windows of the validation split in one batch, the mean over all predictions."""
    windows = (len(val) - 1) // block_size
    x = torch.stack([val[w * block_size:(w + 1) * block_size] for w in range(windows)])
    y = torch.stack([val[w * block_size + 1:(w + 1) * block_size + 1] for w in range(windows)])
    with torch.no_grad():
        return model(x, y)[1].item(), windows


def greedy(model, prompt, tokens):
    """nanoGPT's generate with top_k 1: the argmax of the last position's logits, the context cropped to block_size; and
    the smallest gap between the best and second-best logit along the way (how safely another float order agrees)."""
    idx, gap = prompt.view(1, -1), float("inf")
    with torch.no_grad():
        for _ in range(tokens):
            logits = model(idx[:, -model.block_size:])[0][0, -1]
            top = torch.topk(logits, 2).values
            gap = min(gap, (top[0] - top[1]).item())
            idx = torch.cat([idx, logits.argmax().view(1, 1)], dim=1)
    return idx[0, prompt.numel():], gap


def trained_gpt(train, val, vocab, decode, text):
    config = dict(vocab_size=vocab, block_size=16, n_layer=2, n_head=2, n_embd=32)
    torch.manual_seed(41)
    model = nanogpt.GPT(**config, bias=False)
    optimizer = model.configure_optimizers(0.1, 1e-2, (0.9, 0.99))
    for step in range(200):
        for group in optimizer.param_groups:
            group["lr"] = nanogpt.get_lr(step, 1e-2, 10, 200, 1e-3)
        model(*nanogpt.get_batch(train, 16, 16))[1].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
    torchref.save_safetensors(os.path.join(TRAINING, "gpt-trained.safetensors"), model.state_dict())
    loss, windows = validation_loss(model, val, config["block_size"])
    prompt = text[:12]
    continuation, gap = greedy(model, torch.tensor([decode.index(c) for c in prompt]), 40)
    print(f"trained GPT: val loss {loss:.6f} over {windows} windows; greedy continuation of {prompt!r}: "
          f"{''.join(decode[i] for i in continuation)!r}; smallest top-1/top-2 logit gap {gap:.4g}")
    return {"file": "gpt-trained.safetensors",
            "architecture": f"GPT(vocab_size={vocab}, block_size=16, n_layer=2, n_head=2, n_embd=32, dropout=0.0, bias=False)",
            "config": dict(config, dropout=0.0, bias=False),
            "training": "200 steps of nanoGPT's random get_batch (batch 16) under torch.manual_seed(41), AdamW lr 1e-2 betas "
                        "(0.9, 0.99) weight decay 0.1 on matrices, warm-up 10 then cosine to 1e-3 at 200, clip 1.0",
            "val_loss": f32(loss), "val_windows": windows, "prompt": prompt, "prompt_tokens": [decode.index(c) for c in prompt],
            "greedy_tokens": continuation.tolist(), "greedy_text": "".join(decode[i] for i in continuation),
            "smallest_logit_gap": f32(gap)}


def options(run):
    """The run as the issue's `backprop train` options (the CLI's own test decides the exact spelling)."""
    o = [f"--arch \"{run['architecture']}\"", f"--init {run['name']}-init.safetensors", "--data text.txt", "--no-shuffle", "--steps 10",
         f"--batch-size {run['batch_size']}"]
    if "vocab_size" not in run["model"]:  # T is a GPT's block_size, else --block-size
        o.append(f"--block-size {run['block_size']}")
    o += [f"--optimizer {'momentum' if run.get('momentum') else run['optimizer'].lower()}", f"--lr {run['lr']}"]
    if "betas" in run:
        o.append(f"--betas {run['betas'][0]},{run['betas'][1]}")
    if "momentum" in run:
        o.append(f"--momentum {run['momentum']}")
    if run["weight_decay"]:
        o += [f"--weight-decay {run['weight_decay']}", "--weight-decay-on matrices" if run.get("decay_matrices_only") else "--weight-decay-on all"]
    if "schedule" in run:
        sch = run["schedule"]
        o += ["--schedule cosine", f"--warmup-steps {sch['warmup_steps']}", f"--min-lr {sch['min_lr']}"]
    if "clip_grad_norm" in run:
        o.append(f"--clip-grad-norm {run['clip_grad_norm']}")
    return " ".join(o)


def describe(run):
    parts = [f"{run['optimizer']} lr {run['lr']}"]
    if "betas" in run:
        parts.append(f"betas ({run['betas'][0]}, {run['betas'][1]}), eps {run['eps']}")
    if "momentum" in run:
        parts.append(f"momentum {run['momentum']} (dampening 0, no Nesterov)")
    if run["weight_decay"]:
        parts.append(f"weight decay {run['weight_decay']} on the parameters of two or more dimensions only (nanoGPT's configure_optimizers groups), none on the rest")
    else:
        parts.append("no weight decay")
    if "schedule" in run:
        sch = run["schedule"]
        parts.append(f"nanoGPT's get_lr before each step: lr·(s+1)/({sch['warmup_steps']}+1) for steps s < {sch['warmup_steps']}, then cosine down to "
                     f"{sch['min_lr']} at step {sch['decay_steps']} (Backprop: WarmupCosineLR(optimizer, {sch['warmup_steps']}, {sch['decay_steps']}, {sch['min_lr']}) stepped after each step)")
    else:
        parts.append("constant learning rate")
    parts.append(f"clip_grad_norm_ {run['clip_grad_norm']} after backward" if "clip_grad_norm" in run else "no clipping")
    return "; ".join(parts)


def write_readme(entries, trained, text_length, train_tokens, vocab):
    lines = ["# PyTorch text-training fixtures", "",
             f"Written by `{SCRIPT}` (PyTorch {torch.__version__}, one thread); regenerate with",
             f"`LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 {SCRIPT}`. Read by",
             "tests/Backprop.Tests/Training/TextTrainingParityTests.cs.", "",
             f"`text.txt`: {text_length} characters made by the script (words from a fixed list picked by a linear congruential",
             f"generator), {vocab} distinct characters, vocabulary in code-point order (nanoGPT's prepare.py); the first",
             f"{train_tokens} tokens (90 %, rounded down) train, the rest validate.", "",
             "Every run: 10 steps from `<run>-init.safetensors` (PyTorch's initialisation under the seed; no metadata; PyTorch's",
             "state-dict keys, a GPT's with both `transformer.wte.weight` and `lm_head.weight`), the weights after the 10th step in",
             "`<run>-final.safetensors`. Batches in order (`--no-shuffle`): batch s (0 first) takes the B windows of T tokens",
             "starting at (s·B + b)·T of the training split, inputs tokens[o:o+T], targets tokens[o+1:o+T+1]. Loss: mean",
             "cross-entropy over every position. Each step: forward, loss, backward, clip (when set), optimizer step, zero_grad;",
             "`text-training.json` holds per step the learning rate used, the loss and the gradient norm before clipping.", ""]
    for run in entries:
        lines += [f"## {run['name']}", "", f"- model: `{run['architecture']}` (torch.manual_seed({run['seed']}) before building it)",
                  f"- batches: B = {run['batch_size']}, T = {run['block_size']}, 10 steps", f"- {describe(run)}",
                  f"- as the issue's options: `backprop train {options(run)}`", ""]
    lines += ["## gpt-trained", "", f"`gpt-trained.safetensors`: `{trained['architecture']}`, {trained['training']}.",
              f"Validation loss as Backprop's eval defines it (all {trained['val_windows']} whole windows of T = 16 of the validation",
              f"split in order, the mean over all predictions): {trained['val_loss']}. Greedy continuation (argmax, context cropped",
              f"to 16) of the prompt {json.dumps(trained['prompt'])} for 40 tokens: {json.dumps(trained['greedy_text'])}.", ""]
    with open(os.path.join(TRAINING, "README.md"), "w") as f:
        f.write("\n".join(lines))


def text_training():
    os.makedirs(TRAINING, exist_ok=True)
    text = make_text()
    with open(os.path.join(TRAINING, "text.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    chars = sorted(set(text))  # nanoGPT's prepare.py: code-point order
    data = torch.tensor([chars.index(c) for c in text], dtype=torch.long)
    n = int(len(data) * 0.9)
    train, val = data[:n], data[n:]
    entries = []
    for seed, run in enumerate(runs(len(chars)), start=51):
        steps = train_run(run, train, len(chars), seed)
        entries.append(dict(run, seed=seed, steps=steps))
        print(f"{run['name']}: losses {[s['loss'] for s in steps]}; grad norms {[s.get('grad_norm') for s in steps]}")
    trained = trained_gpt(train, val, len(chars), chars, text)
    write_readme(entries, trained, len(text), n, len(chars))
    write_json(os.path.join(TRAINING, "text-training.json"), {
        "about": about("Ten steps of each run on text.txt from <name>-init.safetensors to <name>-final.safetensors, batches in "
                       "Backprop's --no-shuffle order; per step the learning rate used, the loss before the step and, with "
                       "clipping, the total gradient norm before clipping. 'trained': a GPT trained by PyTorch, its val loss "
                       "and greedy continuation."),
        "text": "text.txt", "characters": len(text), "vocabulary": "".join(chars), "train_tokens": n, "runs": entries, "trained": trained,
    })


def main():
    torch.set_num_threads(1)  # one summation order
    text_layers()
    text_training()
    for folder in (OUT, TRAINING):
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            if os.path.isfile(path) and (name.startswith("text") or folder == TRAINING):
                print(f"{os.path.relpath(path, fixtures.ROOT)}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
