"""Plain-language explanations of what went wrong in a run, for a learner."""

from __future__ import annotations


def explain_divergence(trainer, what: str, loss: float) -> str:
    """Why a run stopped, naming the evidence, and what to try."""
    cfg = trainer.config
    epoch = trainer.epoch
    if what == "exploded":
        start_epoch, start_loss = trainer.reference_loss
        evidence = (
            f"Training paused at epoch {epoch}: the loss shot up from {start_loss:.3g} "
            f"(epoch {start_epoch}) to {loss:.3g}, far worse than guessing."
        )
    else:
        thing = "loss" if what == "loss" else "weights"
        evidence = f"Training paused at epoch {epoch}: the {thing} became infinite or NaN (not a number)."
    high = cfg.learning_rate >= 1.0 or (cfg.optimizer != "sgd" and cfg.learning_rate >= 0.1)
    if high:
        cause = (
            f"The learning rate {cfg.learning_rate:g} is too high for this network: each step overshoots "
            "the minimum, the weights grow, the units saturate and the loss explodes."
        )
    else:
        cause = "The steps grew until the loss exploded; a smaller learning rate usually cures it."
    advice = f"Try a learning rate of {cfg.learning_rate / 10:g} or less, then press Reset to start again."
    if cfg.init == "seed":
        advice += " The 'xavier' or 'he' initialiser also keeps the first steps small."
    return " ".join([evidence, cause, advice])
