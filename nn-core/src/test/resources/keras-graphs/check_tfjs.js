// Loads a TF.js layers model (nn-core's saveTfjs of a graph, or make_nested.py's) with tf.loadLayersModel and a
// custom IO handler (no tfjs-node), then predicts every output on the inputs of a JSON file.
// node check_tfjs.js every_merge_tfjs nncore-output.json > tfjs-output.json     (@tensorflow/tfjs 4.22.0 from npm)
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
    return { modelTopology: model.modelTopology, weightSpecs: model.weightsManifest.flatMap(g => g.weights), weightData,
      format: model.format, generatedBy: model.generatedBy };
  }
};
(async () => {
  const model = await tf.loadLayersModel(handler);
  const x = tf.tensor2d(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')).inputs);
  let y = model.predict(x);
  if (!Array.isArray(y)) y = [y];
  const out = { tfjs_version: tf.version.tfjs, inputs: model.inputNames, layers: model.layers.map(l => l.getClassName() + ':' + l.name) };
  for (let k = 0; k < y.length; k++) out[model.outputNames[k]] = await y[k].array();
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
