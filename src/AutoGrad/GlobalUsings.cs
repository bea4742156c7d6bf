// The library's Tensor would collide with System.Numerics.Tensors.Tensor (CS0104), so only the
// primitives class is imported, under an alias.
global using System.Numerics;
global using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
