"""The hyperparameters of a run, in the one form they take from the command line to the step loop.

    parser (--epochs, --lr, ...)  ->  Hyper(epochs=..., lr=...)      None: the post's choice
    the case's own                 ->  case.hyper                     what the post used
    the plan                       ->  asked.over(case.hyper)         every field set
    the trainer and the step loop  ->  read plan.hyper                nothing renamed on the way
"""
import dataclasses
from typing import Optional


@dataclasses.dataclass(frozen=True)
class Hyper:
    epochs: Optional[int] = None
    batch_size: Optional[int] = None
    lr: Optional[float] = None
    optimizer: Optional[str] = None
    seed: int = 42

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
