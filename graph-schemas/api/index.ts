export * from './contract';
export * from './rpc';
export * from './training-contract';
export * from './sweep-contract';
export * from './latent-contract';
export * from './desktop-contract';
