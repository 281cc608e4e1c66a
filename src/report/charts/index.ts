export * from "./line-trend";
export * from "./distribution-bars";
export * from "./pareto";
export * from "./quadrant-matrix";
export * from "./fishbone";
export * from "./before-after";
export * from "./progress-bars";
export { emptyChart } from "./svg";
