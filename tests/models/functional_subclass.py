"""A Keras-style functional subclass, imported by the test and by the fresh process that loads its file."""

import fitorch


@fitorch.saving.register_keras_serializable(package="tests")
class Doubling(fitorch.Model):
    """A functional subclass with its own method and train_step."""

    def train_step(self, batch):
        self.steps_run = getattr(self, "steps_run", 0) + 1
        return super().train_step(batch)

    def doubled(self, x):
        return 2 * self(x)
