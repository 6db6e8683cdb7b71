// Registers every op's WebGPU kernels in the op-kernel table (op-kernels.ts): import a new op's
// kernel module here.
import './builtin-kernels.ts';
import './network-kernels.ts';
