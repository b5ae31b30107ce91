"""``ConvLSTM2D``: an LSTM whose input and recurrent transformations are 2-D convolutions."""

from __future__ import annotations

from fitorch.layers.recurrent.base_conv_lstm import BaseConvLSTM


class ConvLSTM2D(BaseConvLSTM):
    """2-D convolutional LSTM: every gate is a convolution of the frame and of the previous state.

    Use it for sequences of images (video frames, radar maps, spatio-temporal grids)
    where the state should keep a spatial layout. The input convolution of all
    frames runs as one batched ``F.conv2d`` before the loop; each step then runs one
    recurrent convolution (``'same'`` padding, stride 1) for all four gates.

    Args:
        filters: positive int, the number of channels of the output and states.
        kernel_size: int or tuple of 2 ints, the window of both convolutions.
        strides: int or tuple of 2 ints, of the input convolution (default 1).
        padding: ``'valid'`` (default) or ``'same'``, of the input convolution.
        data_format: ``'channels_last'`` (frames ``(height, width, channels)``) or
            ``'channels_first'``; default ``fitorch.config.image_data_format()``.
        dilation_rate: int or tuple of 2 ints, of the input convolution (default 1);
            cannot be combined with ``strides > 1``.
        activation: default ``'tanh'``.
        recurrent_activation: for the gates (default ``'sigmoid'``).
        use_bias: default ``True``.
        kernel_initializer: default ``'glorot_uniform'``.
        recurrent_initializer: default ``'orthogonal'``.
        bias_initializer: default ``'zeros'``.
        unit_forget_bias: add 1 to the forget gate's bias at initialization
            (default ``True``).
        dropout: float in ``[0, 1)``, input dropout while training (default 0).
        recurrent_dropout: float in ``[0, 1)``, state dropout while training (default 0).
        seed: optional int seeding the dropout masks.
        return_sequences: return every step's output (default ``False``).
        return_state: also return the final states ``h`` and ``c`` (default ``False``).
        go_backwards: process the frames backwards and return them reversed
            (default ``False``).
        stateful: carry the final states into the next batch (default ``False``).
        **kwargs: ``unroll``, ``zero_output_for_mask`` and the ``Layer`` arguments.

    Call arguments:
        sequences: ``(batch, time, rows, cols, channels)`` (``channels_last``).
        initial_state: optional list ``[h, c]``, each shaped like one output frame
            with its batch axis.
        mask: optional ``(batch, time)`` boolean tensor; masked steps keep the previous
            states and output.
        training: optional bool, for dropout.

    Input shape:
        ``(batch, time, rows, cols, channels)``, or ``(batch, time, channels, rows,
        cols)`` for ``channels_first``; rows, cols and channels must be known.

    Output shape:
        ``(batch, new_rows, new_cols, filters)`` (the last frame), or with
        ``return_sequences`` ``(batch, time, new_rows, new_cols, filters)``;
        ``channels_first`` puts ``filters`` before the spatial axes. With
        ``return_state``, ``(output, h, c)``.

    Weights:
        ``weight_ih`` ``(4 * filters, channels, kh, kw)``, ``weight_hh`` ``(4 * filters,
        filters, kh, kw)`` (torch layout; Keras' ``kernel`` and ``recurrent_kernel``
        are ``(kh, kw, in, 4 * filters)``) and ``bias`` ``(4 * filters,)``, gates in
        the order input, forget, cell, output.

    Example:
        >>> import torch
        >>> from fitorch.layers.recurrent import ConvLSTM2D
        >>> layer = ConvLSTM2D(4, 3, padding="same", return_sequences=True)
        >>> layer(torch.ones(2, 5, 8, 8, 3)).shape
        torch.Size([2, 5, 8, 8, 4])
        >>> layer.weight_ih.shape
        torch.Size([16, 3, 3, 3])
    """

    rank = 2
