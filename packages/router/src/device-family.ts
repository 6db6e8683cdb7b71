/** GPU families the router distinguishes (docs/architecture.md, "The router's vocabulary"). */
export const FAMILIES = ['mali', 'adreno', 'apple', 'nvidia', 'amd', 'intel', 'powervr', 'swiftshader', 'llvmpipe', 'unknown'] as const;
export type Family = (typeof FAMILIES)[number];

/** Where a backend prefers to keep tensors. ExecuTorch's Vulkan backend uses buffers on Mali and
 * 3-D textures on Adreno (PR #20059's description: "Mali (buffer path)", "Adreno (texture path)"). */
export const STORAGES = ['buffer', 'texture'] as const;
export type Storage = (typeof STORAGES)[number];
