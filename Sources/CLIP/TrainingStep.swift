import Tensor

/// One optimiser step of the trainer in two halves, so that a caller can look at the raw
/// gradients in between (the PyTorch agreement test dumps them) while running exactly the code
/// `train` runs.
extension CLIPModel {
    /// Resets `tape`, zeroes the gradients, runs the forward pass and backpropagates the loss.
    /// Returns the loss; each parameter's `gradient` then holds its unclipped gradient.
    public func computeGradients(images: ImageBatch, tokens: TokenBatch, tape: Tape) -> Float {
        tape.reset()
        zeroGradients(parameters)
        let loss = loss(images: images, tokens: tokens, tape: tape)
        let value = loss.item
        // A non-finite loss ends the run (the caller throws); backpropagating it would only
        // fill the gradients with NaN.
        if value.isFinite { tape.backward(loss) }
        return value
    }

    /// Clips the gradients to a global L2 norm of `maxGradientNorm` (nil = no clipping), takes
    /// one AdamW step at `learningRate` and clamps the logit scale. Returns the norm before
    /// clipping.
    @discardableResult
    public func applyGradients(optimizer: AdamW, learningRate: Float, maxGradientNorm: Float?) -> Float {
        let norm = clipGradientNorm(parameters, maxNorm: maxGradientNorm ?? .infinity)
        optimizer.update(learningRate: learningRate)
        clampLogitScale()
        return norm
    }
}
