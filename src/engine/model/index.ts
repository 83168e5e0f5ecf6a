// The transformer classifier whose layers Strata looks into (DESIGN.md §1).
export * from './config';
export * from './configJson';
export * from './params';
export * from './init';
export * from './namedArrays';
export * from './matmul';
export * from './layers';
export * from './embeddings';
export * from './forward';
