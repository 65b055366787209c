#!/usr/bin/env python3
"""PyTorch's accuracy references for the text models of issue 24 (not tests: minutes of CPU each).

Trains in PyTorch and prints, as Markdown for bench/text-accuracy-pytorch.md, the final validation loss and the wall time:

  gpt-shakespeare  nanoGPT's shakespeare_char CPU configuration on tinyshakespeare.txt: GPT(vocab 65, block 64, 4 layers,
                   4 heads, 128 wide, dropout 0, bias False), batch 12, 2000 steps, AdamW lr 1e-3, betas (0.9, 0.99),
                   weight decay 0.1 on matrices (configure_optimizers), warm-up 100 steps then cosine to 1e-4 at step
                   2000 (get_lr), clip_grad_norm_ 1.0, torch.manual_seed(1337), nanoGPT's random get_batch, and its
                   estimate_loss with eval_iters 200 every 250 steps (eval_interval of config/train_shakespeare_char.py),
                   as train.py interleaves them: the first batch is drawn before the evaluation at step 0, each next one
                   right after a forward pass. The val loss reported is the evaluation after the 2000th step (train.py's at
                   iter_num 2000; train.py then takes one more step, 2001 in all, which changes no reported figure).
  gpt-shakespeare-final-eval  The same, with estimate_loss only after the 2000th step (the training batches differ from the
                   second on, as estimate_loss draws from the generator get_batch draws from).
  lstm-shakespeare Embedding(65, 128), LSTM(128, 256, num_layers=2, batch_first=True), Linear(256, 65) on the same
                   corpus: block 64, batch 32, Adam lr 2e-3 (other settings PyTorch's defaults, no clipping, no schedule),
                   2000 steps of random windows (get_batch), seed 1337; val loss over 200 random batches at the end.
  gpt-names        names.txt as one text (vocabulary of 27: '\\n' and a-z): GPT(vocab 27, block 16, 4 layers, 4 heads,
                   64 wide, dropout 0, bias False), batch 32, 2000 steps, the shakespeare recipe otherwise (AdamW lr 1e-3,
                   betas (0.9, 0.99), weight decay 0.1 on matrices, warm-up 100, cosine to 1e-4, clip 1.0, seed 1337),
                   val loss over 200 random batches at the end (no evaluation during training).

Every corpus: character vocabulary in code-point order (nanoGPT's prepare.py), the first 90 % of the tokens train and
the last 10 % validate, in file order. One thread (torch.set_num_threads(1)), so the numbers repeat run to run.

Run (Debian's python3-torch 1.13 with OpenBLAS; the corpora from ../shared/data/text/), one configuration at a time:

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread nice -n 19 /usr/bin/python3 scripts/text-reference.py gpt-shakespeare
"""
import os
import sys
import time

import torch
from torch import nn
from torch.nn import functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nanogpt  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEXT = os.path.join(os.path.dirname(ROOT), "shared", "data", "text")


def corpus(name):
    """The train and val token tensors (int64) of a text file and its vocabulary size."""
    text = open(os.path.join(TEXT, name), encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(data))
    return data[:n], data[n:], len(chars)


def gpt_run(file, vocab, block_size, n_layer, n_head, n_embd, batch_size, steps, eval_interval):
    """nanoGPT's train.py loop (see the docstring); eval_interval None evaluates only after the last step."""
    train, val, size = corpus(file)
    assert size == vocab, f"{file} has {size} characters, expected {vocab}"
    torch.manual_seed(1337)
    model = nanogpt.GPT(vocab, block_size, n_layer, n_head, n_embd, bias=False)
    optimizer = model.configure_optimizers(0.1, 1e-3, (0.9, 0.99))
    splits = {"train": train, "val": val}
    loss_of = lambda x, y: model(x, y)[1]
    lines, losses = [], {}
    x, y = nanogpt.get_batch(train, batch_size, block_size)
    train_seconds = 0.0
    for it in range(steps + 1):
        lr = nanogpt.get_lr(it, 1e-3, 100, steps, 1e-4)
        for group in optimizer.param_groups:
            group["lr"] = lr
        if (eval_interval and it % eval_interval == 0) or it == steps:
            losses = nanogpt.estimate_loss(loss_of, splits, 200, batch_size, block_size)
            lines.append(f"step {it}: train loss {losses['train']:.4f}, val loss {losses['val']:.4f}")
            print(lines[-1], flush=True)
        if it == steps:
            break
        start = time.perf_counter()
        _, loss = model(x, y)
        x, y = nanogpt.get_batch(train, batch_size, block_size)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        train_seconds += time.perf_counter() - start
    return losses["val"], train_seconds, lines


class CharLSTM(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embedding = nn.Embedding(vocab, 128)
        self.lstm = nn.LSTM(128, 256, num_layers=2, batch_first=True)
        self.head = nn.Linear(256, vocab)

    def forward(self, x):
        return self.head(self.lstm(self.embedding(x))[0])


def lstm_run(steps=2000, batch_size=32, block_size=64):
    train, val, vocab = corpus("tinyshakespeare.txt")
    torch.manual_seed(1337)
    model = CharLSTM(vocab)
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_of = lambda x, y: F.cross_entropy(model(x).reshape(-1, vocab), y.reshape(-1))
    start = time.perf_counter()
    lines = []
    for it in range(steps):
        loss = loss_of(*nanogpt.get_batch(train, batch_size, block_size))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if it % 250 == 0 or it == steps - 1:
            lines.append(f"step {it}: train batch loss {loss.item():.4f}")
            print(lines[-1], flush=True)
    train_seconds = time.perf_counter() - start
    losses = nanogpt.estimate_loss(loss_of, {"val": val}, 200, batch_size, block_size)
    lines.append(f"after {steps} steps: val loss {losses['val']:.4f} (200 random batches)")
    return losses["val"], train_seconds, lines


RUNS = {
    "gpt-shakespeare": lambda: gpt_run("tinyshakespeare.txt", 65, 64, 4, 4, 128, 12, 2000, 250),
    # The same run evaluated only after the last step: the same training maths on other random batches, since every
    # evaluation draws its batches from the one generator that get_batch draws the training windows from.
    "gpt-shakespeare-final-eval": lambda: gpt_run("tinyshakespeare.txt", 65, 64, 4, 4, 128, 12, 2000, None),
    "lstm-shakespeare": lstm_run,
    "gpt-names": lambda: gpt_run("names.txt", 27, 16, 4, 4, 64, 32, 2000, None),
}


def main():
    torch.set_num_threads(1)
    name = sys.argv[1]
    val, seconds, lines = RUNS[name]()
    print(f"\n### {name}\n\nPyTorch {torch.__version__}, {torch.get_num_threads()} thread(s): final val loss **{val:.4f}**; "
          f"{seconds:.0f} s for the training steps (evaluations excluded).\n\n```\n" + "\n".join(lines) + "\n```")


if __name__ == "__main__":
    main()
