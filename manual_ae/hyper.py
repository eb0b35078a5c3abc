"""The hyperparameters of a run, in the one form they take from the command line to the step loop.

    parser (--epochs, --lr, ...)  ->  Hyper(epochs=..., lr=...)      None: the post's choice
    the case's own                 ->  case.hyper                     what the post used
    the plan                       ->  asked.over(case.hyper)         every field set
    the trainer and the step loop  ->  read plan.hyper                nothing renamed on the way
"""
import dataclasses
import math
import numbers
from typing import Optional


@dataclasses.dataclass(frozen=True)
class Hyper:
    epochs: Optional[int] = None
    batch_size: Optional[int] = None
    lr: Optional[float] = None
    optimizer: Optional[str] = None
    seed: int = 42

    def __post_init__(self):
        """Each field set is of its kind: whole numbers >= 1, a finite learning rate > 0, a name."""
        for name in ("epochs", "batch_size"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1):
                raise ValueError(f"Hyper: {name} is {value!r}; expected a whole number, at least 1")
        if self.lr is not None and (isinstance(self.lr, bool) or not isinstance(self.lr, numbers.Real)
                                    or not math.isfinite(self.lr) or self.lr <= 0):
            raise ValueError(f"Hyper: lr is {self.lr!r}; expected a finite number above 0 (a negative rate climbs "
                             "the loss)")
        from manual_ae.optim import OPTIMIZERS
        if self.optimizer is not None and (not isinstance(self.optimizer, str) or self.optimizer.lower() not in
                                           OPTIMIZERS):
            raise ValueError(f"Hyper: optimizer is {self.optimizer!r}; expected one of {', '.join(OPTIMIZERS)}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral) or self.seed < 0:
            raise ValueError(f"Hyper: seed is {self.seed!r}; expected a whole number >= 0")

    def over(self, base):
        """These hyperparameters where they are set, `base`'s where they are None."""
        return dataclasses.replace(base, **{k: v for k, v in self.as_dict().items() if v is not None})

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)

    def as_dict(self):
        return dataclasses.asdict(self)

    def complete(self, what="a run"):
        """Self, once every field is set; a clear error naming the missing ones otherwise."""
        missing = [k for k, v in self.as_dict().items() if v is None]
        if missing:
            raise ValueError(f"{what} needs {', '.join(missing)}: no default was given for them")
        return self

    def __str__(self):
        return (f"epochs {self.epochs}, batch {self.batch_size}, {self.optimizer} lr {self.lr:g}, "
                f"seed {self.seed}")
