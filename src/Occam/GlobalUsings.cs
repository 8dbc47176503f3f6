// Element-wise SIMD work goes through TensorPrimitives; the alias avoids clashing with System.Numerics.Tensors.Tensor.
global using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
