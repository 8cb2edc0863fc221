// Loads nn-core's TF.js export with tf.loadLayersModel and a custom IO handler, then predicts.
const tf = require('@tensorflow/tfjs');
const fs = require('fs');
const path = require('path');
const dir = process.argv[2];
const handler = {
  load: async () => {
    const model = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const buffers = [];
    for (const group of model.weightsManifest) for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
    const all = Buffer.concat(buffers);
    const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
    return { modelTopology: model.modelTopology, weightSpecs: model.weightsManifest.flatMap(g => g.weights), weightData, format: model.format, generatedBy: model.generatedBy };
  }
};
(async () => {
  const model = await tf.loadLayersModel(handler);
  const x = tf.tensor(JSON.parse(process.argv[3]));
  const y = await model.predict(x).array();
  console.log(JSON.stringify({ tfjs_version: tf.version.tfjs, layers: model.layers.map(l => l.getClassName() + ":" + l.name), output_tfjs: y }));
})().catch(e => { console.error(e); process.exit(1); });
