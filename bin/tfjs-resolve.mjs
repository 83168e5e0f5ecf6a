// Node resolve hook: TensorFlow.js's ES-module files import siblings without extensions and
// directories without index.js, which bundlers accept and Node does not. Retry those as a
// bundler would, for @tensorflow packages only.
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const fromTfjs = context.parentURL?.includes('/node_modules/@tensorflow/');
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    const deep = specifier.startsWith('@tensorflow/') && specifier.split('/').length > 2;
    if (!(fromTfjs && relative) && !deep) throw error;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await nextResolve(specifier + suffix, context);
      } catch {
        // try the next form
      }
    }
    throw error;
  }
}
